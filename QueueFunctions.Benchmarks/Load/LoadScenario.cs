using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// Scenario 3: closed-loop load on the enter path. In this process: the app (signal + watcher) on one clinic with
/// 1/10/100 clients, on a fresh clinic and on one that already issued N tickets today, and on 16 clinics with many
/// clients; then the canonical orchestration path with 1/10/100 clients; then several app instances as separate
/// processes (<see cref="MultiInstanceScenario"/>). Each case's storage requests are counted and its guarantees
/// checked at its end.
/// </summary>
public sealed class LoadScenario(BenchOptions options, AzuriteProcess azurite, IDictionary<string, string?> settings, HostLog log, LoadResults results)
{
    public const string BusyClinic = "lab";
    static readonly int[] ClientCounts = [1, 10, 100];
    static readonly TimeSpan IdleProbe = TimeSpan.FromSeconds(3);

    /// <summary>In-flight requests may take up to the app's confirm timeout (60 s here) to answer at the end of a case.</summary>
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(70);

    readonly string[] allClinics = [.. new QueueOptions().ClinicList()];

    public const string Method =
        """
        Load method (scenario 3): closed-loop clients, each sending POST /api/v1/queue/enter for a new user and the
        next one as soon as the answer is in; latency is per request, sent -> answer, on one monotonic clock.
        tickets/s = 200 answers / (first send -> last answer). Before each case the clinics are reset (numbering
        restarts at 1); for "already issued" the clinic then gets N tickets first (EnterMany signals straight to the
        entity, waited for until stored and published; not measured). Storage requests: Azure.Core's "Request"
        events of the app's process(es) during the case (in this process for the in-process hosts; through a startup
        hook in each instance started as its own process). The orchestration path schedules an orchestration that
        calls the entity and waits with WaitForInstanceCompletionAsync, which the local host's client answers by
        reading the instance every 100 ms (the Azure Storage provider behind the Functions host: every 2 s); it
        has no HTTP in front of it. Guarantees, checked on the stored entity state after every case: numbers exactly
        1..n per clinic, one ticket per user, every 200 answer = that user's stored ticket; a broken one fails the
        run. Multi-instance cases: local host processes with worker ids bench-1, bench-2, ... on one task hub (host.json's
        partitions), requests round-robin over the instances that are up.
        """;

    TimeSpan Duration => TimeSpan.FromSeconds(options.LoadSeconds);

    static string Clients(int count) => count == 1 ? "1 client" : Measure.Inv($"{count} clients");

    public async Task RunAsync(CancellationToken cancel)
    {
        using var counter = new StorageRequestCounter(new StorageEndpoints(azurite.ConnectionString));
        await RunSignalWatcherAsync(counter, cancel);
        if (!options.RunLoad)
        {
            return; // the rush alone
        }

        await RunOrchestrationAsync(counter, cancel);
        await new MultiInstanceScenario(options, azurite, settings, results).RunAsync(cancel);
    }

    async Task RunSignalWatcherAsync(StorageRequestCounter counter, CancellationToken cancel)
    {
        Measure.Progress("Scenario 3: starting the app in this process (fresh task hub) ...");
        var app = await BenchHost.StartAppAsync(azurite.ConnectionString, settings, log);
        try
        {
            await CheckCounterAsync(counter, cancel);
            using var path = new HttpEnterPath([(0, app.BaseAddress)]);
            var queue = app.Services.GetRequiredService<ClinicQueueClient>();
            Task ResetAsync(string clinic) => queue.ResetAsync(app.Client, clinic, cancel);

            // Warm-up, not measured: JIT, connections, the clinic's watcher.
            await ClosedLoopRun.Begin(path, 1, _ => BusyClinic, "warm", 5, "warm-up", cancel).RunForAsync(TimeSpan.FromSeconds(30), Grace);

            var fresh = new Dictionary<int, LoadCaseResult>();
            foreach (var issued in options.RunLoad ? new[] { 0, options.Prefill } : [0])
            {
                foreach (var clients in ClientCounts)
                {
                    var spec = new LoadCase(Measure.Inv($"1 clinic, {Clients(clients)}, {issued:N0} issued"), LoadCase.SignalWatcher, 1, [BusyClinic], clients, issued, $"s{clients}i{issued}");
                    await ResetAsync(BusyClinic);
                    if (issued > 0)
                    {
                        await Prefill.RunAsync(app.Client, BusyClinic, issued, cancel);
                    }

                    var result = await MeasureAsync(spec, path, counter, app, cancel);
                    if (issued == 0)
                    {
                        fresh[clients] = result;
                    }
                }
            }

            // A clinic at its cap of waiting tickets: unlike finished ones they cannot leave the state.
            var capped = new QueueOptions().MaxWaiting;
            var full = new LoadCase(Measure.Inv($"1 clinic, 1 client, {capped:N0} waiting"), LoadCase.SignalWatcher, 1, [BusyClinic], 1, capped, "full") { Waiting = true };
            await ResetAsync(BusyClinic);
            await Prefill.RunAsync(app.Client, BusyClinic, capped, cancel, finish: false);
            var atCap = await MeasureAsync(full, path, counter, app, cancel, print: false);
            atCap.Notes.Add(Measure.Inv($"against a fresh clinic, 1 client: p50 {atCap.Latency(50) / fresh[1].Latency(50):0.00}x ({atCap.Latency(50):0} vs {fresh[1].Latency(50):0} ms), p99 {atCap.Latency(99) / fresh[1].Latency(99):0.00}x"));
            LoadCase.Print(atCap);
            await ResetAsync(BusyClinic);

            // The same clients spread over every clinic: one poll reads them all, so this must not be slower than one clinic.
            foreach (var clients in new[] { allClinics.Length, 100, options.WideClients }.Distinct())
            {
                var wide = new LoadCase(Measure.Inv($"{allClinics.Length} clinics, {Clients(clients)}, 0 issued"), LoadCase.SignalWatcher, 1, allClinics, clients, 0, $"wide{clients}");
                await Task.WhenAll(allClinics.Select(ResetAsync));
                var result = await MeasureAsync(wide, path, counter, app, cancel, print: false);
                if (fresh.TryGetValue(clients, out var one))
                {
                    result.Notes.Add(Measure.Inv($"against the same clients on 1 clinic: {result.TicketsPerSecond / one.TicketsPerSecond:0.00}x the tickets/s ({result.TicketsPerSecond:0.0} vs {one.TicketsPerSecond:0.0}), p99 {result.Latency(99):0} vs {one.Latency(99):0} ms"));
                }

                result.Notes.Add(Measure.Inv($"entity state reads by the app: {result.StateReads / result.Seconds:0.0}/s ({result.StateReads:N0} in all, {(double)result.StateReads / Math.Max(1, result.Ok):0.00} per ticket)"));
                LoadCase.Print(result);
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    async Task RunOrchestrationAsync(StorageRequestCounter counter, CancellationToken cancel)
    {
        Measure.Progress("Scenario 3: orchestration path: starting the orchestration host in this process (benchmark assembly, fresh task hub) ...");
        var host = await BenchHost.StartOrchestrationHostAsync(azurite.ConnectionString, settings, log);
        try
        {
            var path = new OrchestrationEnterPath(host.Client);
            var queue = host.Services.GetRequiredService<ClinicQueueClient>();
            await ClosedLoopRun.Begin(path, 1, _ => BusyClinic, "owarm", 5, "warm-up", cancel).RunForAsync(TimeSpan.FromSeconds(60), Grace);
            foreach (var clients in ClientCounts)
            {
                var spec = new LoadCase(Measure.Inv($"1 clinic, {Clients(clients)}, 0 issued"), LoadCase.Orchestration, 1, [BusyClinic], clients, 0, $"o{clients}");
                await queue.ResetAsync(host.Client, BusyClinic, cancel);
                await MeasureAsync(spec, path, counter, host, cancel);
            }
        }
        finally
        {
            // Orchestrations cut off at the end of a case must not load what runs next: no drain.
            await host.KillAsync();
        }
    }

    async Task<LoadCaseResult> MeasureAsync(LoadCase spec, IEnterPath path, StorageRequestCounter counter, LocalQueueHost host, CancellationToken cancel, bool print = true)
    {
        Measure.Progress(Measure.Inv($"Scenario 3 [{spec.Design}] {spec.Name}: {options.LoadSeconds} s{(options.LoadCount > 0 ? $" or {options.LoadCount:N0} requests" : "")} ..."));
        var reader = host.Services.GetService<ClinicStateReader>();
        var readsBefore = reader?.Reads ?? 0;
        var before = counter.Snapshot();
        var run = spec.Begin(path, options.LoadCount, cancel);
        await run.RunForAsync(Duration, Grace);
        var result = spec.Result(run, counter.Snapshot() - before);
        result.StateReads = (reader?.Reads ?? 0) - readsBefore;
        if (result.Storage is { } storage && result.Ok > 0)
        {
            result.Notes.Add(Measure.Inv($"storage requests: {storage.Describe()}, {storage.Total / result.Seconds:0} a second"));
        }

        result.Broken.AddRange(await GuaranteeCheck.RunAsync(host.Client, spec.Clinics, result.Samples, cancel));
        results.Add(result);
        if (print)
        {
            LoadCase.Print(result);
        }

        return result;
    }

    /// <summary>The counter must see the engine's own requests: an idle engine still polls its queues.</summary>
    async Task CheckCounterAsync(StorageRequestCounter counter, CancellationToken cancel)
    {
        var before = counter.Snapshot();
        await Task.Delay(IdleProbe, cancel);
        var idle = counter.Snapshot() - before;
        var perSecond = idle.Total / IdleProbe.TotalSeconds;
        results.IdleRequestsPerSecond = perSecond;
        var line = Measure.Inv($"storage requests counted while the app idles: {perSecond:0.0}/s, {idle.Describe()} in {IdleProbe.TotalSeconds:0} s (the engine polling its queues)");
        Measure.Progress("Scenario 3: " + line);
        if (idle.QueueReads == 0)
        {
            results.Fail("the storage counter saw no queue polling while the app idled: it does not see the engine's requests, so no storage figure can be trusted");
        }
    }
}
