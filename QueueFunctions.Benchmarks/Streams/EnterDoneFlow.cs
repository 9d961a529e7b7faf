using System.Net;
using System.Net.Http.Json;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Streams;

/// <summary>The enter/done flow: open loop at fixed rates, at most 200 requests in flight.</summary>
sealed class EnterDoneFlow(HttpClient api, Dictionary<string, ClinicTrack> tracks, string[] clinics, Dictionary<string, string> pins)
{
    const int MaxInFlight = 200;
    readonly object gate = new();
    int enterClinic;
    int doneClinic;
    int inFlight;

    public int EntersOk;
    public int EntersFailed;
    public int DonesOk;
    public int DonesFailed;
    public int DonesSkipped;
    public string? FirstFailure;
    public readonly List<double> EnterLatency = [];
    public readonly List<double> DoneLatency = [];

    public async Task RunAsync(BenchOptions options, List<SseStream> streams, ClinicStateReader reader, CancellationToken cancel)
    {
        var start = Measure.Now;
        var end = TimeSpan.FromSeconds(options.Seconds);
        var enterEvery = TimeSpan.FromSeconds(1 / options.EntersPerSecond);
        var doneEvery = TimeSpan.FromSeconds(1 / options.DonesPerSecond);
        TimeSpan nextEnter = TimeSpan.Zero, nextDone = doneEvery, nextProgress = TimeSpan.FromSeconds(5);
        long readsAtProgress = reader.Reads;
        var requests = new List<Task>();
        while (true)
        {
            var next = new[] { nextEnter, nextDone, nextProgress }.Min();
            if (next >= end)
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
                readsAtProgress = ReportProgress(next, reader, readsAtProgress, streams);
                nextProgress += TimeSpan.FromSeconds(5);
            }
            else if (next == nextEnter)
            {
                nextEnter += enterEvery;
                SendEnter(requests);
            }
            else
            {
                nextDone += doneEvery;
                SendDone(requests);
            }
        }

        var all = Task.WhenAll(requests);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(45), cancel));
    }

    /// <summary>A progress line every 5 s of the flow; returns the reads counted so far, for the next line's rate.</summary>
    long ReportProgress(TimeSpan at, ClinicStateReader reader, long readsAtProgress, List<SseStream> streams)
    {
        long reads = reader.Reads;
        Measure.Progress($"  flow {at.TotalSeconds:0} s: enters {EntersOk} ok/{EntersFailed} failed, dones {DonesOk} ok/{DonesFailed} failed, " +
                         $"{(reads - readsAtProgress) / 5.0:0.0} entity reads/s, {streams.Count(s => s.Open):N0} streams open, " +
                         $"{streams.Sum(s => s.Messages):N0} messages received");
        return reads;
    }

    /// <summary>The next clinic's enter, or a failure when too many requests are in flight: an open loop does not wait.</summary>
    void SendEnter(List<Task> requests)
    {
        if (Volatile.Read(ref inFlight) < MaxInFlight)
        {
            var clinic = clinics[enterClinic++ % clinics.Length];
            requests.Add(EnterAsync(tracks[clinic]));
        }
        else
        {
            Interlocked.Increment(ref EntersFailed);
            FirstFailure ??= "enter not sent: 200 requests in flight";
        }
    }

    /// <summary>A done for the oldest confirmed patient of the next clinic that has one; skipped when none waits or too many are in flight.</summary>
    void SendDone(List<Task> requests)
    {
        var target = PickDone();
        if (target is null || Volatile.Read(ref inFlight) >= MaxInFlight)
        {
            Interlocked.Increment(ref DonesSkipped);
        }
        else
        {
            requests.Add(DoneAsync(target.Value.Track, target.Value.User));
        }
    }

    (ClinicTrack Track, string User)? PickDone()
    {
        for (var i = 0; i < clinics.Length; i++)
        {
            var track = tracks[clinics[doneClinic++ % clinics.Length]];
            if (track.TakeWaitingUser() is { } user)
            {
                return (track, user);
            }
        }

        return null;
    }

    async Task EnterAsync(ClinicTrack track)
    {
        Interlocked.Increment(ref inFlight);
        var user = track.NextUser();
        var sent = track.Sent(user, done: false);
        try
        {
            using var response = await api.PostAsJsonAsync("api/v1/queue/enter", new { clinic = track.Clinic, user });
            var latency = Measure.Ms(sent, Measure.Now);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                track.Confirmed(user);
                Interlocked.Increment(ref EntersOk);
                lock (gate)
                {
                    EnterLatency.Add(latency);
                }
            }
            else
            {
                Fail(ref EntersFailed, $"enter {(int)response.StatusCode} {body}");
            }
        }
        catch (Exception e)
        {
            Fail(ref EntersFailed, "enter " + e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    async Task DoneAsync(ClinicTrack track, string user)
    {
        Interlocked.Increment(ref inFlight);
        var sent = track.Sent(user, done: true);
        try
        {
            using var response = await api.PostAsJsonAsync("api/v1/queue/done", new { clinic = track.Clinic, user, pin = pins[track.Clinic] });
            var latency = Measure.Ms(sent, Measure.Now);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref DonesOk);
                lock (gate)
                {
                    DoneLatency.Add(latency);
                }
            }
            else
            {
                Fail(ref DonesFailed, $"done {(int)response.StatusCode} {body}");
            }
        }
        catch (Exception e)
        {
            Fail(ref DonesFailed, "done " + e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    void Fail(ref int counter, string why)
    {
        Interlocked.Increment(ref counter);
        lock (gate)
        {
            FirstFailure ??= why.Length > 200 ? why[..200] : why;
        }
    }
}
