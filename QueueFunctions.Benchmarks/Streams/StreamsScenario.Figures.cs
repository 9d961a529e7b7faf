using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Configuration;

namespace QueueFunctions.Benchmarks.Streams;

/// <summary>Scenario 1's figures: the key ones for the comparison with the references, and the section of the report.</summary>
public sealed partial class StreamsScenario
{
    void AddFigures(List<SseStream> streams, ProcessSnapshot baseline, OpeningPhase opening, IdlePhase idle, FlowPhase flow, DrainPhase drain)
    {
        var delivery = StreamDelivery.Of(streams, tracks, BusyClinic);
        Figures.IdleReadsPerSecond = (idle.ReadsAfter - opening.ReadsAfter) / Idle.TotalSeconds;
        Figures.OpenStreams = opening.Opened;
        if (delivery.FromObservable.Count > 0)
        {
            delivery.FromObservable.Sort();
            Figures.PushP50 = Measure.Percentile(delivery.FromObservable, 50);
        }

        AddStreamRows(streams, opening, idle, drain);
        AddFlowRows(flow.Flow);
        AddReadRows(opening, idle, flow, drain);
        AddDeliveryRows(streams, flow, drain, delivery);
        AddProcessRows(baseline, opening, idle, flow, drain);
    }

    void AddStreamRows(List<SseStream> streams, OpeningPhase opening, IdlePhase idle, DrainPhase drain)
    {
        var (fdSoft, _) = Machine.OpenFileLimit();
        report.Add(Section, "streams: lab / each of 16 clinics / total", Measure.Inv($"{options.Streams:N0} / {options.StreamsPerClinic} / {streams.Count:N0}"),
            "half board streams, half ?user=p<i> (user streams p0.. follow real tickets)");
        report.Add(Section, "streams open with first state", Measure.Inv($"{opening.Opened:N0} in {opening.Seconds:0.0} s"),
            opening.Opened < streams.Count ? "FAILED: " + streams.FirstOrDefault(s => s.Error is not null)?.Error : "64 connection attempts at a time");
        report.Add(Section, "streams still open at the end (no reconnects)", Measure.Inv($"{drain.StillOpen:N0}"),
            $"Queue:StreamMinutes={host.Services.GetRequiredService<IOptions<QueueOptions>>().Value.StreamMinutes}, above the run");
        report.Add(Section, "established connections (server side)", Measure.Inv($"{idle.Connections.ServerSide:N0} idle, {drain.Connections.ServerSide:N0} at the end"),
            Measure.Inv($"from /proc/net/tcp; client side {drain.Connections.ClientSide:N0}; open files {drain.Process.OpenFiles:N0} of {fdSoft:N0}"));
    }

    void AddFlowRows(EnterDoneFlow flow)
    {
        report.Add(Section, "flow: enters ok / failed", Measure.Inv($"{flow.EntersOk:N0} / {flow.EntersFailed:N0}"), Measure.Inv($"target {options.EntersPerSecond}/s over {options.Seconds} s; {flow.FirstFailure ?? "no failure"}"));
        report.Add(Section, "flow: dones ok / failed / skipped", Measure.Inv($"{flow.DonesOk:N0} / {flow.DonesFailed:N0} / {flow.DonesSkipped:N0}"),
            Measure.Inv($"target {options.DonesPerSecond}/s; skipped = nobody waiting yet, or backlog"));
        report.Add(Section, "flow: enter latency (HTTP)", Measure.Dist(flow.EnterLatency), "request sent -> 200 (signal + watcher confirms)");
        report.Add(Section, "flow: done latency (HTTP)", Measure.Dist(flow.DoneLatency), "request sent -> 200");
    }

    void AddReadRows(OpeningPhase opening, IdlePhase idle, FlowPhase flow, DrainPhase drain)
    {
        report.Add(Section, "entity state reads/s while opening", Measure.Inv($"{(opening.ReadsAfter - opening.ReadsBefore) / opening.Seconds:0.0}"),
            "ClinicStateReader.Reads of the app (one poll reads every followed clinic at once)");
        report.Add(Section, "entity state reads/s idle (streams open)", Measure.Inv($"{(idle.ReadsAfter - opening.ReadsAfter) / Idle.TotalSeconds:0.0}"),
            Measure.Inv($"2/s expected (one query a pass, 0.5 s pace), whatever the streams and the {clinics.Length} clinics"));
        report.Add(Section, "entity state reads/s during the flow", Measure.Inv($"{(flow.ReadsAfter - flow.ReadsBefore) / flow.Seconds:0.0}"),
            "the poll reads every 25 ms while a request waits for its confirmation");
        report.Add(Section, "entity state reads/s after the flow (drain)", Measure.Inv($"{(drain.ReadsAfter - flow.ReadsAfter) / Drain.TotalSeconds:0.0}"), "");
        report.Add(Section, "entity state reads per stream per second", Measure.Inv($"{(idle.ReadsAfter - opening.ReadsAfter) / Idle.TotalSeconds / Math.Max(1, opening.Opened):0.0000}"),
            "the issue: one read per stream every 5 s would be 0.2");
    }

    void AddDeliveryRows(List<SseStream> streams, FlowPhase flow, DrainPhase drain, StreamDelivery delivery)
    {
        long changes = clinics.Sum(c => drain.FinalVersions[c] - flow.VersionsAtStart[c]);
        long deliveredByWatchers = clinics.Sum(c => tracks[c].Delivered.Count(d => d.Version > flow.VersionsAtStart[c] && d.Version <= drain.FinalVersions[c]));
        var watcherLag = tracks[BusyClinic].WatcherLagBehindProbe();
        int messages = streams.Sum(s => s.Messages);
        int heartbeats = streams.Sum(s => s.Heartbeats);
        report.Add(Section, "queue versions (changes) during the flow", Measure.Inv($"{changes:N0}"),
            Measure.Inv($"{deliveredByWatchers:N0} seen by the app's watchers; {changes - deliveredByWatchers:N0} coalesced (newer state read first)"));
        report.Add(Section, "messages expected / missing", Measure.Inv($"{delivery.Expected:N0} / {delivery.Missing:N0}"),
            Measure.Inv($"every version the app's watcher saw, to every stream open before it; {delivery.StreamsMissing:N0} streams missed one or more"));
        report.Add(Section, "push latency, first observable -> stream", Measure.Dist(delivery.FromObservable), "all clinics; see the method below");
        report.Add(Section, "push latency, first observable -> stream (lab)", Measure.Dist(delivery.FromObservableBusy), Measure.Inv($"the {options.Streams:N0}-stream clinic"));
        report.Add(Section, "push latency, request sent -> stream", Measure.Dist(delivery.FromRequest), "the enter/done that made the version, to each stream");
        report.Add(Section, "app watcher lag behind 50 ms probe (lab)", watcherLag.Count == 0 ? "probe never saw a version first" : Measure.Dist(watcherLag),
            "positive: the probe saw the version before the app's watcher did");
        report.Add(Section, "stream messages / heartbeats received", Measure.Inv($"{messages:N0} / {heartbeats:N0}"), "data: lines incl. CONNECTED and 5 s refreshes");
    }

    void AddProcessRows(ProcessSnapshot baseline, OpeningPhase opening, IdlePhase idle, FlowPhase flow, DrainPhase drain)
    {
        var (allOpen, endOfFlow, opened) = (idle.Process, drain.Process, opening.Opened);
        report.Add(Section, "process working set: before / open / end", $"{ProcessSnapshot.Mib(baseline.WorkingSet)} / {ProcessSnapshot.Mib(allOpen.WorkingSet)} / {ProcessSnapshot.Mib(endOfFlow.WorkingSet)}",
            Measure.Inv($"{(allOpen.WorkingSet - baseline.WorkingSet) / 1024.0 / Math.Max(1, opened):0.0} KiB per stream, both ends (client + server) in this process"));
        report.Add(Section, "GC heap after full GC: before / open / end", $"{ProcessSnapshot.Mib(baseline.GcHeap)} / {ProcessSnapshot.Mib(allOpen.GcHeap)} / {ProcessSnapshot.Mib(endOfFlow.GcHeap)}",
            Measure.Inv($"{(allOpen.GcHeap - baseline.GcHeap) / 1024.0 / Math.Max(1, opened):0.0} KiB per stream, both ends"));
        report.Add(Section, "threads: before / open / end", Measure.Inv($"{baseline.Threads} / {allOpen.Threads} / {endOfFlow.Threads}"), "");
        report.Add(Section, "CPU of this process during the flow", Measure.Inv($"{ProcessSnapshot.CpuPercent(flow.CpuStart, flow.CpuEnd):0}% of {Environment.ProcessorCount} cores"),
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
