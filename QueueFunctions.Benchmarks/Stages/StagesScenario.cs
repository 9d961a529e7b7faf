using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueFunctions.Benchmarks.Load;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>
/// Scenario 4: where the time and the storage requests of one enter go, stage by stage. One client at a time on one
/// clinic, fresh and after N tickets, back to back and spaced; every storage request of the process and every event of
/// the Durable Task engine is recorded with its time, and each enter's stages are drawn from them
/// (<see cref="EnterStages"/>). The app runs unchanged; only its log providers differ.
/// </summary>
public sealed class StagesScenario(BenchOptions options, AzuriteProcess azurite, IDictionary<string, string?> settings, HostLog log, Report report)
{
    const string Clinic = LoadScenario.BusyClinic;
    const int WarmUp = 10;
    const int TraceEnters = 5;
    static readonly TimeSpan IdleProbe = TimeSpan.FromSeconds(5);
    static readonly TimeSpan Spacing = TimeSpan.FromSeconds(1);

    /// <summary>After the last answer, the tickets' background work is over once nothing but polls and leases ran this long.</summary>
    static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    static readonly TimeSpan TailCap = TimeSpan.FromSeconds(20);

    public const string Method =
        """
        Stages method (scenario 4): one client on clinic lab sends POST /api/v1/queue/enter for a new user, one request at
        a time, first one per second, then back to back, on a fresh clinic and after the prefill. The benchmark's process
        records every storage request (Azure.Core's Request and Response events: sent, answered, method, path) and every
        log event of the Durable Task engine (DurableTask.Core and DurableTask.AzureStorage, debug level, through a log
        provider), all on one clock. An enter's signal is the message with no sending instance to the clinic's entity;
        its sequence number follows it through the dequeue, the entity batch that ran it and the delete. Storage
        requests are given to their cause: a send is logged just before its put, a history read, append or status read
        just after its request, a delete names its message. Background = requests of the publisher orchestration, its
        activity, the entity batches that ran only its calls, and the history recorder, from the first send until
        nothing but polls ran for 1 s after the last answer.
        """;

    public async Task RunAsync(CancellationToken cancel)
    {
        using var storage = new StorageTrace(new StorageEndpoints(azurite.ConnectionString));
        var engine = new EngineTrace();
        Measure.Progress("Scenario 4: starting the app in this process (fresh task hub), with the engine's events captured ...");
        var app = await BenchHost.StartAppAsync(azurite.ConnectionString, settings, log, engine.AddTo);
        TextWriter? trace = options.StageTracePath is { } tracePath ? File.CreateText(tracePath) : null;
        try
        {
            var hub = app.TaskHubName;
            var historyTable = app.Services.GetRequiredService<IOptions<HistoryOptions>>().Value.TableName;
            using var path = new HttpEnterPath([(0, app.BaseAddress)]);

            // The engine takes its partitions in the first seconds; the idle rate is that of a settled app.
            await Task.Delay(TimeSpan.FromSeconds(3), cancel);
            var (idlePolls, idleHousekeeping) = await MeasureIdleAsync(storage, engine, hub, historyTable, cancel);

            await EntersAsync(path, "warm", WarmUp, TimeSpan.Zero, cancel);
            var run = new CaseRun(app, storage, engine, path, trace, hub, historyTable, ClinicStateReader.EntityIdOf(Clinic).ToString(), idlePolls);
            var cases = await CasesAsync(run, cancel);

            // The table groups by spacing: back to back first, each with its 0 and N issued.
            var ordered = cases.OrderBy(c => c.Spacing).ThenBy(c => c.IssuedBefore).ToList();
            report.AddBlock(StagesTable.Title, StagesTable.Lines(ordered, idlePolls, idleHousekeeping));
        }
        finally
        {
            if (trace is not null)
            {
                await trace.DisposeAsync();
            }

            await app.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>What a case needs of the running app and the traces.</summary>
    sealed record CaseRun(
        LocalQueueHost App,
        StorageTrace Storage,
        EngineTrace Engine,
        HttpEnterPath Path,
        TextWriter? Trace,
        string Hub,
        string HistoryTable,
        string Entity,
        double IdlePolls);

    /// <summary>Spaced and back to back, on a fresh clinic and after the prefill.</summary>
    async Task<List<StageCase>> CasesAsync(CaseRun run, CancellationToken cancel)
    {
        var (app, storage, engine) = (run.App, run.Storage, run.Engine);
        var queue = app.Services.GetRequiredService<ClinicQueueClient>();
        var cases = new List<StageCase>();
        foreach (var issued in new[] { 0, options.Prefill })
        {
            await queue.ResetAsync(app.Client, Clinic, cancel);
            if (issued > 0)
            {
                await Prefill.RunAsync(app.Client, Clinic, issued, cancel);
                await DrainQueueEventsAsync(app, cancel);
            }

            // Spaced first: its few tickets keep the state close to what the prefill left.
            await WaitQuietAsync(storage, engine, cancel);
            var spaced = await CaseAsync(run, "s" + issued, issued, Spacing, Math.Max(10, options.StageEnters / 10), cancel);
            if (issued == 0)
            {
                // Scenario 3's one-client case starts on a fresh clinic too.
                await queue.ResetAsync(app.Client, Clinic, cancel);
                await WaitQuietAsync(storage, engine, cancel);
            }

            var backToBack = await CaseAsync(run, "b" + issued, issued == 0 ? 0 : issued + spaced.Tickets, TimeSpan.Zero, options.StageEnters, cancel);
            cases.AddRange([backToBack, spaced]);
        }

        return cases;
    }

    /// <summary>One case: its enters recorded from the first send until the app is quiet again, then broken into stages.</summary>
    static async Task<StageCase> CaseAsync(CaseRun run, string prefix, int issuedBefore, TimeSpan spacing, int count, CancellationToken cancel)
    {
        var (storage, engine) = (run.Storage, run.Engine);
        var name = Measure.Inv($"{(spacing == TimeSpan.Zero ? "back to back" : $"{spacing.TotalSeconds:0.#} s apart")}, {issuedBefore:N0} issued");
        Measure.Progress(Measure.Inv($"Scenario 4 {name}: {count} enters ..."));
        storage.Clear();
        engine.Clear();
        storage.Recording = engine.Recording = true;
        var samples = await EntersAsync(run.Path, prefix, count, spacing, cancel);
        var end = await WaitQuietAsync(storage, engine, cancel);
        storage.Recording = engine.Recording = false;

        var calls = storage.Calls;
        var events = engine.Events;
        var result = StageCaseAnalysis.Analyze(name, spacing, issuedBefore, samples, calls, events, run.Hub, run.HistoryTable, run.Entity, run.IdlePolls, end);
        if (run.Trace is { } trace)
        {
            // The last enters too: by then the state may have outgrown its table row.
            var after = TimeSpan.FromSeconds(spacing == TimeSpan.Zero ? 0.2 : 1);
            TimelineWriter.Write(trace, name + ", first enters", [.. samples.Take(TraceEnters)], calls, events, after);
            TimelineWriter.Write(trace, name + ", last enters", [.. samples.TakeLast(TraceEnters)], calls, events, after);
        }

        var medians = string.Join(", ", Stage.All.Where(s => !s.Sub).Select(s => Measure.Inv($"{s.Key} {Median(result.Ms(s)):0.0}")));
        Measure.Progress(Measure.Inv(
            $"  {result.Tickets} tickets, {result.Enters.Count} traced; median ms: {medians}; background {result.BackgroundTotalPerTicket.Total:0.0} storage requests/ticket"));
        var broken = await GuaranteeCheck.RunAsync(run.App.Client, [Clinic], samples, cancel);
        foreach (var b in broken)
        {
            Measure.Progress($"GUARANTEE BROKEN in scenario 4 {name}: {b}");
        }

        return result;
    }

    /// <summary>What the app costs with nothing to do: the engine polling its queues, the queue trigger, leases.</summary>
    async Task<(double PollsPerSecond, StorageMix HousekeepingPerSecond)> MeasureIdleAsync(StorageTrace storage, EngineTrace engine, string hub, string historyTable, CancellationToken cancel)
    {
        storage.Clear();
        engine.Clear();
        storage.Recording = engine.Recording = true;
        await Task.Delay(IdleProbe, cancel);
        storage.Recording = engine.Recording = false;
        var calls = storage.Calls;
        var owners = CallAttribution.Assign(calls, engine.Events, hub, historyTable);
        var polls = calls.Count(c => owners[c].Role == CallRole.Poll) / IdleProbe.TotalSeconds;
        var housekeeping = StorageMix.Of(calls.Where(c => owners[c].Role == CallRole.Lease)).Per(IdleProbe.TotalSeconds);
        Measure.Progress(Measure.Inv($"Scenario 4: idle app: {polls:0.0} queue polls/s, leases and timer locks {housekeeping.Describe()}/s, {calls.Count(c => owners[c].Role is not (CallRole.Poll or CallRole.Lease))} other requests in {IdleProbe.TotalSeconds:0} s"));
        if (polls == 0)
        {
            throw new InvalidOperationException("The storage trace saw no queue polling while the app idled: it does not see the engine's requests.");
        }

        return (polls, housekeeping);
    }

    /// <summary>One client: each enter for a new user, the next one after the answer (and the pause).</summary>
    static async Task<List<EnterSample>> EntersAsync(HttpEnterPath path, string prefix, int count, TimeSpan spacing, CancellationToken cancel)
    {
        var samples = new List<EnterSample>(count);
        for (var i = 0; i < count; i++)
        {
            var user = Measure.Inv($"{prefix}-{i}");
            var sent = Measure.Now;
            var outcome = await path.EnterAsync(i, Clinic, user, cancel);
            samples.Add(new EnterSample(Clinic, user, sent, Measure.Now, outcome));
            if (spacing > TimeSpan.Zero)
            {
                await Task.Delay(spacing, cancel);
            }
        }

        var failed = samples.Count(s => s.Outcome.Status != 200);
        if (failed > 0)
        {
            Measure.Progress(Measure.Inv($"  {failed} of {count} enters did not answer 200, e.g. {samples.First(s => s.Outcome.Status != 200).Outcome}"));
        }

        return samples;
    }

    /// <summary>
    /// Waits until only polls and leases hit storage for <see cref="Quiet"/>: the publisher, its activity and the
    /// history recorder are done. Recording must be on (it is switched on here for the wait if it is not).
    /// </summary>
    static async Task<long> WaitQuietAsync(StorageTrace storage, EngineTrace engine, CancellationToken cancel)
    {
        var wasRecording = storage.Recording;
        storage.Recording = true;
        var start = Measure.Now;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancel);
                var lastWork = storage.Calls.LastOrDefault(c => !(c.Service == StorageService.Queue && c.Method == "GET") && c.Service != StorageService.Blob
                    && !c.Path.Contains("Partitions", StringComparison.Ordinal));
                var since = Measure.Ms(Math.Max(lastWork?.End ?? 0, start), Measure.Now);
                if (since >= Quiet.TotalMilliseconds || Measure.Ms(start, Measure.Now) > TailCap.TotalMilliseconds)
                {
                    return lastWork?.End is > 0 and var end && end > start ? end : start;
                }
            }
        }
        finally
        {
            storage.Recording = wasRecording;
            if (!wasRecording)
            {
                storage.Clear();
                engine.Clear();
            }
        }
    }

    /// <summary>The prefill's thousands of queue events must be recorded before the case, or the recorder would load it.</summary>
    static async Task DrainQueueEventsAsync(LocalQueueHost app, CancellationToken cancel)
    {
        var queue = app.Services.GetRequiredService<QueueEventsQueue>().Client;
        var start = Measure.Now;
        while (Measure.SecondsSince(start) < 300)
        {
            var waiting = (await queue.GetPropertiesAsync(cancel)).Value.ApproximateMessagesCount;
            if (waiting == 0)
            {
                Measure.Progress(Measure.Inv($"  queue-events drained by the history recorder in {Measure.SecondsSince(start):0} s (not measured)."));
                return;
            }

            Measure.Progress(Measure.Inv($"  waiting for the history recorder: {waiting:N0} queue events left ..."));
            await Task.Delay(TimeSpan.FromSeconds(5), cancel);
        }
    }

    static double Median(IEnumerable<double> values) => Measure.Percentile(values.Order().ToList(), 50);
}
