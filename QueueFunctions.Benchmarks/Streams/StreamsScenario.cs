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
public sealed partial class StreamsScenario(BenchOptions options, LocalQueueHost host, HostLog log, Report report)
{
    public const string BusyClinic = "lab";
    const string Section = "Scenario 1: event streams";
    static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    static readonly TimeSpan Drain = TimeSpan.FromSeconds(3);

    /// <summary>Connection attempts in flight while the streams open.</summary>
    const int OpeningAtOnce = 64;

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

        using var observe = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var observers = StartObservers(observe.Token);

        var baseline = ProcessSnapshot.Take(collect: true);
        long readsBefore = reader.Reads;
        var streams = NewStreams();
        using var stopStreams = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var (readers, opening) = await OpenStreamsAsync(streams, streamsHttp, readsBefore, stopStreams.Token, cancel);
        var idle = await IdleAsync(port, opening, cancel);
        var flow = await FlowAsync(api, pins, streams, cancel);
        var drain = await DrainAsync(port, streams, cancel);

        await stopStreams.CancelAsync();
        await Task.WhenAny(Task.WhenAll(readers), Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None));
        await observe.CancelAsync();
        await Task.WhenAny(Task.WhenAll(observers), Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        Measure.Progress("Scenario 1: streams closed; computing the figures.");

        AddFigures(streams, baseline, opening, idle, flow, drain);
    }

    /// <summary>
    /// Observers: an in-process subscription to the app's own watcher of each clinic (when the app first saw each
    /// version), and for the busy clinic an independent probe that reads the entity directly every 50 ms.
    /// </summary>
    List<Task> StartObservers(CancellationToken stop)
    {
        var watchers = host.Services.GetRequiredService<ClinicWatchers>();
        var observers = new List<Task>();
        foreach (var clinic in clinics)
        {
            var track = tracks[clinic] = new ClinicTrack(clinic);
            observers.Add(track.ObserveWatcherAsync(watchers.For(clinic), host, stop));
        }

        observers.Add(tracks[BusyClinic].ProbeAsync(host, ProbeInterval, stop));
        return observers;
    }

    /// <summary>Half board streams, half streams of users p0, p1 ... (who appear once the flow's enters reach them).</summary>
    List<SseStream> NewStreams()
    {
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

        return streams;
    }

    /// <summary>Opens the streams, <see cref="OpeningAtOnce"/> connection attempts at a time; each then reads until <paramref name="stopStreams"/>.</summary>
    async Task<(List<Task> Readers, OpeningPhase Opening)> OpenStreamsAsync(
        List<SseStream> streams, HttpClient streamsHttp, long readsBefore, CancellationToken stopStreams, CancellationToken cancel)
    {
        var readers = new List<Task>(streams.Count);
        var openStarted = Measure.Now;
        using (var gate = new SemaphoreSlim(OpeningAtOnce))
        {
            var lastProgress = Measure.Now;
            foreach (var stream in streams)
            {
                await gate.WaitAsync(cancel);
                var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = connected.Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default);
                readers.Add(Task.Run(() => stream.RunAsync(streamsHttp, connected, stopStreams), CancellationToken.None));
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

            await WaitForLastAttemptsAsync(gate);
        }

        double openSeconds = Measure.SecondsSince(openStarted);
        int opened = streams.Count(s => s.FirstVersion is not null);
        Measure.Progress($"Scenario 1: {opened:N0} of {streams.Count:N0} streams open with their first state after {openSeconds:0.0} s" +
                         (opened < streams.Count ? $"; first error: {streams.FirstOrDefault(s => s.Error is not null)?.Error}" : ""));
        return (readers, new OpeningPhase(openSeconds, opened, readsBefore, reader.Reads));
    }

    /// <summary>Takes back every slot of the gate, each within 60 s: then the last attempts have connected or failed.</summary>
    static async Task WaitForLastAttemptsAsync(SemaphoreSlim gate)
    {
        for (var i = 0; i < OpeningAtOnce; i++)
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

    /// <summary>Streams open, nothing changes.</summary>
    async Task<IdlePhase> IdleAsync(int port, OpeningPhase opening, CancellationToken cancel)
    {
        await Task.Delay(Idle, cancel);
        long readsIdle = reader.Reads;
        var allOpen = ProcessSnapshot.Take(collect: true);
        var connectionsOpen = Machine.Established(port);
        Measure.Progress($"Scenario 1: idle {Idle.TotalSeconds:0} s with streams open: {(readsIdle - opening.ReadsAfter) / Idle.TotalSeconds:0.0} entity reads/s, " +
                         $"working set {ProcessSnapshot.Mib(allOpen.WorkingSet)}, {connectionsOpen.ServerSide:N0} server-side connections");
        return new IdlePhase(readsIdle, allOpen, connectionsOpen);
    }

    /// <summary>The flow: open loop, enters and dones at fixed rates spread round-robin over the clinics.</summary>
    async Task<FlowPhase> FlowAsync(HttpClient api, Dictionary<string, string> pins, List<SseStream> streams, CancellationToken cancel)
    {
        var versionsAtStart = tracks.ToDictionary(t => t.Key, t => t.Value.LatestVersion);
        var flow = new EnterDoneFlow(api, tracks, clinics, pins);
        var flowStart = Measure.Now;
        long readsFlowStart = reader.Reads;
        var cpuStart = ProcessSnapshot.Take(collect: false);
        await flow.RunAsync(options, streams, reader, cancel);
        var cpuEnd = ProcessSnapshot.Take(collect: false);
        double flowSeconds = Measure.SecondsSince(flowStart);
        return new FlowPhase(flow, flowSeconds, readsFlowStart, reader.Reads, cpuStart, cpuEnd, versionsAtStart);
    }

    /// <summary>The drain after the flow, then every clinic's final stored version, read directly (not counted as an app read).</summary>
    async Task<DrainPhase> DrainAsync(int port, List<SseStream> streams, CancellationToken cancel)
    {
        await Task.Delay(Drain, cancel);
        long readsEnd = reader.Reads;
        var endOfFlow = ProcessSnapshot.Take(collect: true);
        var connectionsEnd = Machine.Established(port);
        int stillOpen = streams.Count(s => s.Open);

        var finalVersions = new Dictionary<string, long>();
        foreach (var clinic in clinics)
        {
            var state = await host.Client.Entities.GetEntityAsync<ClinicQueueState>(ClinicStateReader.EntityIdOf(clinic), cancellation: cancel);
            finalVersions[clinic] = state?.State.Version ?? 0;
        }

        return new DrainPhase(readsEnd, endOfFlow, connectionsEnd, stillOpen, finalVersions);
    }
}
