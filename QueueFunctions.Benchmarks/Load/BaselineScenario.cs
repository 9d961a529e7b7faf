using Azure.Storage.Queues;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// Scenario 5: what a ticket costs in storage requests, this build against an earlier one, side by side in one run.
/// Each build's local host runs as its own process (the same <see cref="StorageCounterHook"/> counts its requests) on
/// its own task hub in the same Azurite, one after the other, with the same closed-loop cases: one clinic, 1, 10 and
/// 100 clients, each case on a clinic not used before in that task hub. The stored state of an earlier build may be
/// shaped differently, so the check here is the one the answers allow: with every request answered 200, the numbers
/// answered on a clinic are exactly 1..n, each to one user.
/// </summary>
public sealed class BaselineScenario(BenchOptions options, AzuriteProcess azurite, IDictionary<string, string?> settings, LoadResults results)
{
    public const string Method =
        """
        Baseline method (scenario 5): the earlier build's QueueFunctions.LocalHost.dll (--baseline) and this build's,
        each as its own process with the storage-counting startup hook, its own task hub, the same Azurite and app
        settings; a 10 s warm-up on a clinic of its own, then one clinic with 1, 10 and 100 closed-loop clients
        (--load-seconds each), each case on a fresh clinic. Storage requests per ticket = the process's requests
        from the case's start until the work its tickets caused is done (the process back to within 1.5x its idle rate
        for 2 s: a backlog of queue events and their history is counted too), idle polling included / 200 answers.
        Checked: the numbers answered on each clinic are exactly 1..n, one per user.
        """;

    static readonly int[] ClientCounts = [1, 10, 100];
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(70);
    const double IdleProbeSeconds = 3;
    const double QuietWindowSeconds = 2;
    const double MaxDrainSeconds = 300;

    readonly string[] clinics = [.. new QueueOptions().ClinicList()];

    public async Task RunAsync(CancellationToken cancel)
    {
        var baseline = Path.GetFullPath(options.BaselinePath ?? throw new InvalidOperationException("--baseline is required."));
        if (!File.Exists(baseline))
        {
            throw new InvalidOperationException($"No local host build at {baseline}: build the earlier version first (see docs/BENCHMARKS.md).");
        }

        var before = await RunBuildAsync(1, options.BaselineLabel, baseline, cancel);
        var now = await RunBuildAsync(2, "this build", null, cancel);
        foreach (var (old, current) in before.Zip(now))
        {
            if (old.StoragePerTicket is { } o && current.StoragePerTicket is { } c && c > 0)
            {
                var comparison = Measure.Inv($"storage requests per ticket against {options.BaselineLabel}: {c:0.0} vs {o:0.0} = {c / o:0.00}x; tickets/s {current.TicketsPerSecond:0.0} vs {old.TicketsPerSecond:0.0}");
                current.Notes.Add(comparison);
                Measure.Progress($"{current.Name}: {comparison}");
            }
        }
    }

    async Task<List<LoadCaseResult>> RunBuildAsync(int index, string label, string? program, CancellationToken cancel)
    {
        var hub = "benchbase" + index + Guid.NewGuid().ToString("N")[..8];

        // queue-events is one queue per storage account, whatever the task hub: what the other build sent there must
        // not become this build's work (its history recorder would consume it, in the measured cases).
        var events = new QueueClient(azurite.ConnectionString, QueueEventsQueue.Name);
        if ((await events.ExistsAsync(cancel)).Value)
        {
            await events.ClearMessagesAsync(cancel);
        }

        Measure.Progress($"Scenario 5: {label}: starting {program ?? "this build's local host"} on task hub {hub} ...");
        await using var instance = await AppInstance.StartAsync(index, hub, azurite.ConnectionString, BenchHost.Key, settings, cancel, program);
        using var path = new HttpEnterPath([(instance.Index, instance.BaseAddress)]);
        var warmClinic = clinics[^1];
        await ClosedLoopRun.Begin(path, 1, _ => warmClinic, "bwarm", 0, "warm-up", cancel).RunForAsync(TimeSpan.FromSeconds(10), Grace);

        var idle = await IdleRateAsync(instance, cancel);
        Measure.Progress(Measure.Inv($"  {label} idles at {idle:0.0} storage requests/s"));
        var measured = new List<LoadCaseResult>();
        for (var i = 0; i < ClientCounts.Length; i++)
        {
            var clients = ClientCounts[i];
            var spec = new LoadCase(Measure.Inv($"{label}: 1 clinic, {clients} client{(clients > 1 ? "s" : "")}, 0 issued"), label, 1, [clinics[i]], clients, 0, $"b{index}c{clients}");
            Measure.Progress(Measure.Inv($"Scenario 5 {spec.Name}: {options.LoadSeconds} s ..."));
            var start = await instance.NextStorageAsync(cancel);
            var run = spec.Begin(path, options.LoadCount, cancel);
            await run.RunForAsync(TimeSpan.FromSeconds(options.LoadSeconds), Grace);
            var (end, drained) = await QuietAsync(instance, idle, cancel);
            var result = spec.Result(run, end - start);
            result.Notes.Add(Measure.Inv($"counted until the work the tickets caused was done: {drained:0.0} s after the last answer"));
            result.Broken.AddRange(CheckAnswers(result));
            results.Add(result);
            measured.Add(result);
            LoadCase.Print(result);
        }

        if (instance.Warnings > 0)
        {
            results.Notes.Add($"{label} logged {instance.Warnings} warnings or errors, e.g. {string.Join(" | ", instance.FirstProblems)}");
        }

        return measured;
    }

    /// <summary>Storage requests per second of the instance with no request in flight (its queue polling and leases).</summary>
    static async Task<double> IdleRateAsync(AppInstance instance, CancellationToken cancel)
    {
        var first = await instance.NextStorageAsync(cancel);
        var started = Measure.Now;
        var last = first;
        while (Measure.SecondsSince(started) < IdleProbeSeconds)
        {
            last = await instance.NextStorageAsync(cancel);
        }

        return (last - first).Total / Measure.SecondsSince(started);
    }

    /// <summary>
    /// Waits until the instance is back to its idle rate: a design that answers first and publishes later (a backlog of
    /// queue events, the history recorder behind it) must be counted until that work is done, or it looks cheaper than
    /// it is. Quiet = a whole window of <see cref="QuietWindowSeconds"/> at no more than half again the idle rate.
    /// </summary>
    static async Task<(StorageRequests End, double Seconds)> QuietAsync(AppInstance instance, double idleRate, CancellationToken cancel)
    {
        var ended = Measure.Now;
        var windowStart = await instance.NextStorageAsync(cancel);
        var windowStarted = Measure.Now;
        while (true)
        {
            var now = await instance.NextStorageAsync(cancel);
            var seconds = Measure.SecondsSince(windowStarted);
            if (seconds < QuietWindowSeconds)
            {
                continue;
            }

            if ((now - windowStart).Total <= (idleRate * 1.5 * seconds) + 2 || Measure.SecondsSince(ended) > MaxDrainSeconds)
            {
                return (windowStart, Measure.Ms(ended, windowStarted) / 1000);
            }

            windowStart = now;
            windowStarted = Measure.Now;
        }
    }

    /// <summary>What the answers alone can show: every request answered, the clinic's numbers exactly 1..n, one user each.</summary>
    static IEnumerable<string> CheckAnswers(LoadCaseResult result)
    {
        var notOk = result.Samples.Count(s => s.Outcome.Status != 200);
        if (notOk > 0)
        {
            yield return Measure.Inv($"{notOk} requests were not answered 200 ({result.NotOkText()})");
            yield break;
        }

        var numbers = result.Samples.Select(s => s.Outcome.Number).Order().ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, numbers.Count).Select(n => (int?)n)))
        {
            yield return Measure.Inv($"the {numbers.Count} numbers answered are not exactly 1..{numbers.Count} ({numbers.Count - numbers.Distinct().Count()} repeated)");
        }
    }
}
