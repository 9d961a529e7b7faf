using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks;

/// <summary>
/// Many open event streams on one clinic plus a few on every clinic, under a steady flow of enters and dones.
/// Measures entity state reads per second, push latency, missing messages, memory and connections.
/// </summary>
public sealed class StreamsScenario(BenchOptions options, LocalQueueHost host, HostLog log, Report report)
{
    public const string BusyClinic = "lab";
    const string Section = "Scenario 1: event streams";
    static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    static readonly TimeSpan Drain = TimeSpan.FromSeconds(3);

    readonly string[] clinics = new QueueOptions().ClinicList().ToArray();
    readonly Dictionary<string, ClinicTrack> tracks = [];
    readonly ClinicStateReader reader = host.Services.GetRequiredService<ClinicStateReader>();

    public async Task RunAsync(CancellationToken cancel)
    {
        int port = host.BaseAddress.Port;
        using var streamsHttp = BenchHttp.NewClient(host, Timeout.InfiniteTimeSpan);
        using var api = BenchHttp.NewClient(host, TimeSpan.FromSeconds(40));
        var pins = await BenchHttp.PinsAsync(api, cancel);
        Measure.Progress($"Scenario 1: PINs of {pins.Count} clinics read; the service day is open on every clinic.");

        // Observers: an in-process subscription to the app's own watcher of each clinic (when the app first saw each
        // version), and for the busy clinic an independent probe that reads the entity directly every 50 ms.
        using var observe = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var watchers = host.Services.GetRequiredService<ClinicWatchers>();
        var observers = new List<Task>();
        foreach (var clinic in clinics)
        {
            var track = tracks[clinic] = new ClinicTrack(clinic);
            observers.Add(track.ObserveWatcherAsync(watchers.For(clinic), host, observe.Token));
        }

        observers.Add(tracks[BusyClinic].ProbeAsync(host, ProbeInterval, observe.Token));

        var baseline = ProcessSnapshot.Take(collect: true);
        long readsBefore = reader.Reads;

        // Open the streams, 64 connection attempts at a time.
        var streams = new List<SseStream>();
        for (var i = 0; i < options.Streams; i++)
        {
            streams.Add(new SseStream(BusyClinic, i % 2 == 0 ? null : "p" + (i / 2)));
        }

        foreach (var clinic in clinics)
        {
            for (var i = 0; i < options.StreamsPerClinic; i++)
            {
                streams.Add(new SseStream(clinic, i % 2 == 0 ? null : "p" + (i / 2)));
            }
        }

        using var stopStreams = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var readers = new List<Task>(streams.Count);
        var openStarted = Measure.Now;
        using (var gate = new SemaphoreSlim(64))
        {
            var lastProgress = Measure.Now;
            foreach (var stream in streams)
            {
                await gate.WaitAsync(cancel);
                var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = connected.Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default);
                readers.Add(Task.Run(() => stream.RunAsync(streamsHttp, connected, stopStreams.Token), CancellationToken.None));
                if (Measure.SecondsSince(lastProgress) >= 2)
                {
                    lastProgress = Measure.Now;
                    Measure.Progress($"  opening streams: {streams.Count(s => s.FirstVersion is not null):N0} of {streams.Count:N0} have their first state");
                }

                if (Measure.SecondsSince(openStarted) > 180)
                {
                    throw new TimeoutException("Opening the streams took over 3 minutes.");
                }
            }

            for (var i = 0; i < 64; i++)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    await gate.WaitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        double openSeconds = Measure.SecondsSince(openStarted);
        int opened = streams.Count(s => s.FirstVersion is not null);
        Measure.Progress($"Scenario 1: {opened:N0} of {streams.Count:N0} streams open with their first state after {openSeconds:0.0} s" +
                         (opened < streams.Count ? $"; first error: {streams.FirstOrDefault(s => s.Error is not null)?.Error}" : ""));
        long readsOpened = reader.Reads;

        // Idle: streams open, nothing changes.
        await Task.Delay(Idle, cancel);
        long readsIdle = reader.Reads;
        var allOpen = ProcessSnapshot.Take(collect: true);
        var connectionsOpen = Machine.Established(port);
        Measure.Progress($"Scenario 1: idle {Idle.TotalSeconds:0} s with streams open: {(readsIdle - readsOpened) / Idle.TotalSeconds:0.0} entity reads/s, " +
                         $"working set {ProcessSnapshot.Mib(allOpen.WorkingSet)}, {connectionsOpen.ServerSide:N0} server-side connections");

        // The flow: open loop, enters and dones at fixed rates spread round-robin over the clinics.
        var versionsAtStart = tracks.ToDictionary(t => t.Key, t => t.Value.LatestVersion);
        var flow = new Flow(api, tracks, clinics, pins);
        var flowStart = Measure.Now;
        long readsFlowStart = reader.Reads;
        var cpuStart = ProcessSnapshot.Take(collect: false);
        await flow.RunAsync(options, streams, reader, cancel);
        var cpuEnd = ProcessSnapshot.Take(collect: false);
        double flowSeconds = Measure.SecondsSince(flowStart);
        long readsFlowEnd = reader.Reads;

        await Task.Delay(Drain, cancel);
        long readsEnd = reader.Reads;
        var endOfFlow = ProcessSnapshot.Take(collect: true);
        var connectionsEnd = Machine.Established(port);
        int stillOpen = streams.Count(s => s.Open);

        // Every clinic's final stored version, read directly (not counted as an app read).
        var finalVersions = new Dictionary<string, long>();
        foreach (var clinic in clinics)
        {
            var state = await host.Client.Entities.GetEntityAsync<ClinicQueueState>(ClinicStateReader.EntityIdOf(clinic), cancellation: cancel);
            finalVersions[clinic] = state?.State.Version ?? 0;
        }

        await stopStreams.CancelAsync();
        await Task.WhenAny(Task.WhenAll(readers), Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None));
        await observe.CancelAsync();
        await Task.WhenAny(Task.WhenAll(observers), Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        Measure.Progress("Scenario 1: streams closed; computing the figures.");

        // Figures.
        var fromObservable = new List<double>();
        var fromObservableBusy = new List<double>();
        var fromRequest = new List<double>();
        long expected = 0, missing = 0;
        int streamsMissing = 0;
        foreach (var stream in streams.Where(s => s.FirstVersion is not null))
        {
            var track = tracks[stream.Clinic];
            var arrivals = stream.Arrivals;
            var missed = 0;
            foreach (var (version, seen) in track.Delivered)
            {
                if (version <= stream.FirstVersion)
                {
                    continue;
                }

                expected++;
                if (!arrivals.TryGetValue(version, out var arrived))
                {
                    missed++;
                    continue;
                }

                var latency = Measure.Ms(track.FirstObservable(version, seen), arrived);
                fromObservable.Add(latency);
                if (stream.Clinic == BusyClinic)
                {
                    fromObservableBusy.Add(latency);
                }

                foreach (var sent in track.RequestsFor(version))
                {
                    fromRequest.Add(Measure.Ms(sent, arrived));
                }
            }

            missing += missed;
            streamsMissing += missed > 0 ? 1 : 0;
        }

        long changes = clinics.Sum(c => finalVersions[c] - versionsAtStart[c]);
        long deliveredByWatchers = clinics.Sum(c => tracks[c].Delivered.Count(d => d.Version > versionsAtStart[c] && d.Version <= finalVersions[c]));
        var watcherLag = tracks[BusyClinic].WatcherLagBehindProbe();
        int messages = streams.Sum(s => s.Messages);
        int heartbeats = streams.Sum(s => s.Heartbeats);
        var (fdSoft, _) = Machine.OpenFileLimit();

        Figures.IdleReadsPerSecond = (readsIdle - readsOpened) / Idle.TotalSeconds;
        Figures.OpenStreams = opened;
        if (fromObservable.Count > 0)
        {
            fromObservable.Sort();
            Figures.PushP50 = Measure.Percentile(fromObservable, 50);
        }

        report.Add(Section, "streams: lab / each of 16 clinics / total", Measure.Inv($"{options.Streams:N0} / {options.StreamsPerClinic} / {streams.Count:N0}"),
            "half board streams, half ?user=p<i> (user streams p0.. follow real tickets)");
        report.Add(Section, "streams open with first state", Measure.Inv($"{opened:N0} in {openSeconds:0.0} s"),
            opened < streams.Count ? "FAILED: " + streams.FirstOrDefault(s => s.Error is not null)?.Error : "64 connection attempts at a time");
        report.Add(Section, "streams still open at the end (no reconnects)", Measure.Inv($"{stillOpen:N0}"),
            $"Queue:StreamMinutes={host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<QueueOptions>>().Value.StreamMinutes}, above the run");
        report.Add(Section, "established connections (server side)", Measure.Inv($"{connectionsOpen.ServerSide:N0} idle, {connectionsEnd.ServerSide:N0} at the end"),
            Measure.Inv($"from /proc/net/tcp; client side {connectionsEnd.ClientSide:N0}; open files {endOfFlow.OpenFiles:N0} of {fdSoft:N0}"));
        report.Add(Section, "flow: enters ok / failed", Measure.Inv($"{flow.EntersOk:N0} / {flow.EntersFailed:N0}"), Measure.Inv($"target {options.EntersPerSecond}/s over {options.Seconds} s; {flow.FirstFailure ?? "no failure"}"));
        report.Add(Section, "flow: dones ok / failed / skipped", Measure.Inv($"{flow.DonesOk:N0} / {flow.DonesFailed:N0} / {flow.DonesSkipped:N0}"),
            Measure.Inv($"target {options.DonesPerSecond}/s; skipped = nobody waiting yet, or backlog"));
        report.Add(Section, "flow: enter latency (HTTP)", Measure.Dist(flow.EnterLatency), "request sent -> 200 (signal + watcher confirms)");
        report.Add(Section, "flow: done latency (HTTP)", Measure.Dist(flow.DoneLatency), "request sent -> 200");
        report.Add(Section, "entity state reads/s while opening", Measure.Inv($"{(readsOpened - readsBefore) / openSeconds:0.0}"),
            "ClinicStateReader.Reads of the app (one watcher per clinic)");
        report.Add(Section, "entity state reads/s idle (streams open)", Measure.Inv($"{(readsIdle - readsOpened) / Idle.TotalSeconds:0.0}"),
            Measure.Inv($"{clinics.Length} watchers x 2/s expected (0.5 s pace), whatever the stream count"));
        report.Add(Section, "entity state reads/s during the flow", Measure.Inv($"{(readsFlowEnd - readsFlowStart) / flowSeconds:0.0}"),
            "watchers read every 25 ms while a request waits for its confirmation");
        report.Add(Section, "entity state reads/s after the flow (drain)", Measure.Inv($"{(readsEnd - readsFlowEnd) / Drain.TotalSeconds:0.0}"), "");
        report.Add(Section, "entity state reads per stream per second", Measure.Inv($"{(readsIdle - readsOpened) / Idle.TotalSeconds / Math.Max(1, opened):0.0000}"),
            "the issue: one read per stream every 5 s would be 0.2");
        report.Add(Section, "queue versions (changes) during the flow", Measure.Inv($"{changes:N0}"),
            Measure.Inv($"{deliveredByWatchers:N0} seen by the app's watchers; {changes - deliveredByWatchers:N0} coalesced (newer state read first)"));
        report.Add(Section, "messages expected / missing", Measure.Inv($"{expected:N0} / {missing:N0}"),
            Measure.Inv($"every version the app's watcher saw, to every stream open before it; {streamsMissing:N0} streams missed one or more"));
        report.Add(Section, "push latency, first observable -> stream", Measure.Dist(fromObservable), "all clinics; see the method below");
        report.Add(Section, "push latency, first observable -> stream (lab)", Measure.Dist(fromObservableBusy), Measure.Inv($"the {options.Streams:N0}-stream clinic"));
        report.Add(Section, "push latency, request sent -> stream", Measure.Dist(fromRequest), "the enter/done that made the version, to each stream");
        report.Add(Section, "app watcher lag behind 50 ms probe (lab)", watcherLag.Count == 0 ? "probe never saw a version first" : Measure.Dist(watcherLag),
            "positive: the probe saw the version before the app's watcher did");
        report.Add(Section, "stream messages / heartbeats received", Measure.Inv($"{messages:N0} / {heartbeats:N0}"), "data: lines incl. CONNECTED and 5 s refreshes");
        report.Add(Section, "process working set: before / open / end", $"{ProcessSnapshot.Mib(baseline.WorkingSet)} / {ProcessSnapshot.Mib(allOpen.WorkingSet)} / {ProcessSnapshot.Mib(endOfFlow.WorkingSet)}",
            Measure.Inv($"{(allOpen.WorkingSet - baseline.WorkingSet) / 1024.0 / Math.Max(1, opened):0.0} KiB per stream, both ends (client + server) in this process"));
        report.Add(Section, "GC heap after full GC: before / open / end", $"{ProcessSnapshot.Mib(baseline.GcHeap)} / {ProcessSnapshot.Mib(allOpen.GcHeap)} / {ProcessSnapshot.Mib(endOfFlow.GcHeap)}",
            Measure.Inv($"{(allOpen.GcHeap - baseline.GcHeap) / 1024.0 / Math.Max(1, opened):0.0} KiB per stream, both ends"));
        report.Add(Section, "threads: before / open / end", Measure.Inv($"{baseline.Threads} / {allOpen.Threads} / {endOfFlow.Threads}"), "");
        report.Add(Section, "CPU of this process during the flow", Measure.Inv($"{ProcessSnapshot.CpuPercent(cpuStart, cpuEnd):0}% of {Environment.ProcessorCount} cores"),
            "app + engine + all stream clients; Azurite is a separate node process");
        report.Add(Section, "host warnings / errors logged", Measure.Inv($"{log.Warnings} / {log.Errors}"), log.First.FirstOrDefault() ?? "");
    }

    public const string Method =
        """
        Push latency method (scenario 1): all timestamps come from one monotonic clock in this process (the app, the
        engine and the stream clients run in it). A version is "first observable" at the earliest of: (1) the app's
        own watcher of that clinic handing it to its subscribers (an extra in-process subscription records this), and
        (2) for 'lab', an independent probe reading the entity directly every 50 ms (not through ClinicStateReader,
        so not counted in Reads). A stream "received" a version when the line `id: <version>` arrived; a repeat of the
        same id by the 5 s refresh is not a new arrival. Expected messages: every version the app's watcher saw, to
        every stream whose first state was older; "missing" are those never received before the 3 s drain ended.
        Versions that changed twice between two watcher reads are coalesced by design (the stream gets the newer
        state, which includes both changes) and counted separately. "Request sent" is when the enter or done that made
        the version was sent (mapped through the state: the user's ticket appears, or turns DONE).
        """;

    /// <summary>The enter/done flow: open loop at fixed rates, at most 200 requests in flight.</summary>
    sealed class Flow(HttpClient api, Dictionary<string, ClinicTrack> tracks, string[] clinics, Dictionary<string, string> pins)
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
                    long reads = reader.Reads;
                    Measure.Progress($"  flow {next.TotalSeconds:0} s: enters {EntersOk} ok/{EntersFailed} failed, dones {DonesOk} ok/{DonesFailed} failed, " +
                                     $"{(reads - readsAtProgress) / 5.0:0.0} entity reads/s, {streams.Count(s => s.Open):N0} streams open, " +
                                     $"{streams.Sum(s => s.Messages):N0} messages received");
                    readsAtProgress = reads;
                    nextProgress += TimeSpan.FromSeconds(5);
                }
                else if (next == nextEnter)
                {
                    nextEnter += enterEvery;
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
                else
                {
                    nextDone += doneEvery;
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
            }

            var all = Task.WhenAll(requests);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(45), cancel));
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
}

/// <summary>What is known about one clinic: versions the app's watcher saw, versions the probe saw, and the flow's requests.</summary>
public sealed class ClinicTrack(string clinic)
{
    readonly object gate = new();
    readonly SortedDictionary<long, long> delivered = [];
    readonly Dictionary<long, long> probed = [];
    readonly List<(string User, bool Done, long Sent, long? Version)> requests = [];
    readonly Queue<string> waiting = new();
    int users;

    public string Clinic { get; } = clinic;

    public long LatestVersion
    {
        get
        {
            lock (gate)
            {
                return delivered.Count == 0 ? 0 : delivered.Keys.Last();
            }
        }
    }

    /// <summary>(version, when the app's watcher handed it out), in version order.</summary>
    public List<(long Version, long Seen)> Delivered
    {
        get
        {
            lock (gate)
            {
                return delivered.Select(d => (d.Key, d.Value)).ToList();
            }
        }
    }

    public string NextUser() => "p" + (Interlocked.Increment(ref users) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public long Sent(string user, bool done)
    {
        var now = Measure.Now;
        lock (gate)
        {
            requests.Add((user, done, now, null));
        }

        return now;
    }

    public void Confirmed(string user)
    {
        lock (gate)
        {
            waiting.Enqueue(user);
        }
    }

    public string? TakeWaitingUser()
    {
        lock (gate)
        {
            return waiting.TryDequeue(out var user) ? user : null;
        }
    }

    public IEnumerable<long> RequestsFor(long version)
    {
        lock (gate)
        {
            return requests.Where(r => r.Version == version).Select(r => r.Sent).ToList();
        }
    }

    public long FirstObservable(long version, long seenByWatcher)
    {
        lock (gate)
        {
            return probed.TryGetValue(version, out var probe) ? Math.Min(probe, seenByWatcher) : seenByWatcher;
        }
    }

    /// <summary>Watcher time minus probe time, for versions both saw.</summary>
    public List<double> WatcherLagBehindProbe()
    {
        lock (gate)
        {
            return delivered.Where(d => probed.ContainsKey(d.Key)).Select(d => Measure.Ms(probed[d.Key], d.Value)).ToList();
        }
    }

    /// <summary>Follows the app's own watcher of this clinic, like one more stream, recording when each version came out.</summary>
    public async Task ObserveWatcherAsync(ClinicWatcher watcher, LocalQueueHost host, CancellationToken stop)
    {
        using var subscription = watcher.Subscribe(host.Client);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await subscription.NextChangeAsync(TimeSpan.FromSeconds(1), stop) is { } state)
                {
                    Record(state, Measure.Now);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the entity directly (not through the app's reader) every <paramref name="interval"/>.</summary>
    public async Task ProbeAsync(LocalQueueHost host, TimeSpan interval, CancellationToken stop)
    {
        var id = ClinicStateReader.EntityIdOf(Clinic);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var state = await host.Client.Entities.GetEntityAsync<ClinicQueueState>(id, cancellation: stop);
                    var now = Measure.Now;
                    if (state?.State is { } s)
                    {
                        lock (gate)
                        {
                            probed.TryAdd(s.Version, now);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed probe read only loses a sample.
                }

                await Task.Delay(interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    void Record(ClinicQueueState state, long now)
    {
        lock (gate)
        {
            if (!delivered.TryAdd(state.Version, now))
            {
                return;
            }

            for (var i = 0; i < requests.Count; i++)
            {
                var r = requests[i];
                if (r.Version is null && state.LatestTicketOf(r.User) is { } ticket && (!r.Done || ticket.Status == TicketStatus.Done))
                {
                    requests[i] = r with { Version = state.Version };
                }
            }
        }
    }
}

static class BenchHttp
{
    /// <summary>One client for many concurrent HTTP/1.1 connections to the app (the default pool would queue them).</summary>
    public static HttpClient NewClient(LocalQueueHost host, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(20),
        })
        {
            BaseAddress = host.BaseAddress,
            Timeout = timeout,
        };

    public static async Task<Dictionary<string, string>> PinsAsync(HttpClient http, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/pin/status");
        request.Headers.Add("x-functions-key", BenchHost.Key);
        using var response = await http.SendAsync(request, cancel);
        var body = await response.Content.ReadAsStringAsync(cancel);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"pin/status answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("pins").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
