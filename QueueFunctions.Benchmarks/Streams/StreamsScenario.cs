using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Streams;

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
        var flow = new EnterDoneFlow(api, tracks, clinics, pins);
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
}
