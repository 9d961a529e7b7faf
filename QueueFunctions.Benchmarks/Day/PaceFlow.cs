using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Day;

/// <summary>
/// A day's pace, open loop: enters and dones at fixed rates, round-robin over the clinics, each request to the next
/// instance in turn (as a load balancer would). A done finishes the oldest confirmed ticket of the next clinic that has
/// one, with the clinic's PIN. Requests are never held back by slow answers: a late answer is a late answer.
/// </summary>
sealed class PaceFlow(IReadOnlyList<(int Index, HttpClient Http)> instances, string[] clinics, IReadOnlyDictionary<string, string> pins, Func<string, int, bool> owns)
{
    readonly ConcurrentBag<PaceSample> samples = [];
    readonly Dictionary<string, ConcurrentQueue<string>> waiting = clinics.ToDictionary(c => c, _ => new ConcurrentQueue<string>());
    long sent;
    int enterClinic;
    int doneClinic;

    public IReadOnlyCollection<PaceSample> Samples => samples;

    /// <summary>Enter answers (clinic, user, number) for the guarantee check.</summary>
    public ConcurrentBag<(string Clinic, string User, int Number)> Tickets { get; } = [];

    /// <summary>Users whose done was answered 200.</summary>
    public ConcurrentBag<string> Finished { get; } = [];

    public async Task RunAsync(TimeSpan length, double entersPerSecond, double donesPerSecond, string userPrefix, CancellationToken cancel)
    {
        var start = Measure.Now;
        var enterEvery = TimeSpan.FromSeconds(1 / entersPerSecond);
        var doneEvery = TimeSpan.FromSeconds(1 / donesPerSecond);
        TimeSpan nextEnter = TimeSpan.Zero, nextDone = doneEvery, nextProgress = TimeSpan.FromSeconds(10);
        var requests = new List<Task>();
        var users = 0;
        while (true)
        {
            var next = new[] { nextEnter, nextDone, nextProgress }.Min();
            if (next >= length)
            {
                break;
            }

            var wait = next - TimeSpan.FromMilliseconds(Measure.Ms(start, Measure.Now));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancel);
            }

            if (next == nextProgress)
            {
                nextProgress += TimeSpan.FromSeconds(10);
                Measure.Progress(Measure.Inv($"  pace {next.TotalSeconds:0} s: {PaceFigures.Describe(samples)}"));
            }
            else if (next == nextEnter)
            {
                nextEnter += enterEvery;
                var clinic = clinics[enterClinic++ % clinics.Length];
                requests.Add(SendAsync(start, "enter", clinic, $"{userPrefix}-{users++}", null, cancel));
            }
            else
            {
                nextDone += doneEvery;
                for (var i = 0; i < clinics.Length; i++)
                {
                    var clinic = clinics[doneClinic++ % clinics.Length];
                    if (waiting[clinic].TryDequeue(out var user))
                    {
                        requests.Add(SendAsync(start, "done", clinic, user, pins[clinic], cancel));
                        break;
                    }
                }
            }
        }

        await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(90), cancel);
    }

    async Task SendAsync(long start, string kind, string clinic, string user, string? pin, CancellationToken cancel)
    {
        var (index, http) = instances[(int)(Interlocked.Increment(ref sent) % instances.Count)];
        var at = Measure.Ms(start, Measure.Now) / 1000;
        var sentAt = Measure.Now;
        var status = 0;
        try
        {
            object body = pin is null ? new { clinic, user } : new { clinic, user, pin };
            using var response = await http.PostAsJsonAsync($"api/v1/queue/{kind}", body, cancel);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancel);
            if (status == 200 && kind == "enter")
            {
                using var json = JsonDocument.Parse(text);
                Tickets.Add((clinic, user, json.RootElement.GetProperty("number").GetInt32()));
                waiting[clinic].Enqueue(user);
            }
            else if (status == 200)
            {
                Finished.Add(user);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            status = 0;
        }

        samples.Add(new PaceSample(kind, clinic, index, owns(clinic, index), at, Measure.Ms(sentAt, Measure.Now), status));
    }
}
