using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace QueueFunctions.Tests.Support.Outages;

/// <summary>
/// A steady flow of patients for a storage outage: enter loops, each taking a number for one new patient after another
/// (a patient whose request fails asks again, as a kiosk would), and one done loop finishing acknowledged tickets with
/// the clinic's PIN. Every request is recorded with when it was sent and answered, on one clock.
/// </summary>
public sealed class OutageTraffic(HttpClient http, IReadOnlyList<string> clinics, IReadOnlyDictionary<string, string> pins)
{
    /// <summary>Between a failed request and the patient's next try: a person at a kiosk does not retry faster.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<(string Clinic, string User, int Number)> toFinish = new();

    public sealed record Attempt(string Kind, string Clinic, string User, TimeSpan Sent, TimeSpan Answered, int Status, bool HasRetryAfter, int Number)
    {
        public TimeSpan Took => Answered - Sent;
    }

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    /// <summary>Tickets answered 200 to an enter, by user.</summary>
    public ConcurrentDictionary<string, (string Clinic, int Number)> Acknowledged { get; } = new();

    /// <summary>Tickets answered 200 to a done, by user.</summary>
    public ConcurrentDictionary<string, (string Clinic, int Number)> Finished { get; } = new();

    public TimeSpan Now => clock.Elapsed;

    /// <summary>Runs <paramref name="enterLoops"/> enter loops and one done loop until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(int enterLoops, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, enterLoops).Select(loop => EnterLoopAsync(loop, stop)).Append(DoneLoopAsync(stop)));

    private async Task EnterLoopAsync(int loop, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var (clinic, user) = (clinics[(loop + n) % clinics.Count], $"E{loop}-{n}");
            while (!stop.IsCancellationRequested)
            {
                var attempt = await SendAsync("enter", clinic, user, new { clinic, user });
                if (attempt.Status == 200)
                {
                    Acknowledged[user] = (clinic, attempt.Number);
                    toFinish.Enqueue((clinic, user, attempt.Number));
                    break;
                }

                await Task.Delay(RetryPause, CancellationToken.None);
            }
        }
    }

    private async Task DoneLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!toFinish.TryDequeue(out var ticket))
            {
                await Task.Delay(RetryPause, CancellationToken.None);
                continue;
            }

            while (!stop.IsCancellationRequested)
            {
                var attempt = await SendAsync("done", ticket.Clinic, ticket.User, new { clinic = ticket.Clinic, user = ticket.User, pin = pins[ticket.Clinic] });
                if (attempt.Status == 200)
                {
                    Finished[ticket.User] = (ticket.Clinic, attempt.Number);
                    break;
                }

                await Task.Delay(RetryPause, CancellationToken.None);
            }
        }
    }

    private async Task<Attempt> SendAsync(string kind, string clinic, string user, object body)
    {
        var sent = clock.Elapsed;
        int status;
        var retryAfter = false;
        var number = 0;
        try
        {
            using var response = await http.PostAsJsonAsync($"api/v1/queue/{kind}", body);
            status = (int)response.StatusCode;
            retryAfter = response.Headers.RetryAfter is not null;
            if (status == 200)
            {
                number = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The app itself stays up: no answer at all is a failure the test reports as status 0.
            status = 0;
        }

        var attempt = new Attempt(kind, clinic, user, sent, clock.Elapsed, status, retryAfter, number);
        Attempts.Enqueue(attempt);
        return attempt;
    }
}
