using System.Net.Http.Json;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.CommandLine;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// Several app instances on one task hub, as separate processes with distinct worker ids, on the same Azurite, with
/// the clients' requests spread round-robin over them (as a load balancer would): 1, 2 and 3 instances in turn;
/// then one of the three is killed mid-run (time until its clinics answer again); then one more is started mid-run
/// (the clients must not notice).
/// </summary>
public sealed class MultiInstanceScenario(BenchOptions options, AzuriteProcess azurite, IDictionary<string, string?> settings, LoadResults results)
{
    /// <summary>host.json's partition count, which the instances keep.</summary>
    static int Partitions => HostJson.Partitions;

    static readonly TimeSpan BalanceCap = TimeSpan.FromSeconds(90);
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(70);

    /// <summary>
    /// After the kill, requests whose signal the killed instance had already taken only answer 504 after the confirm
    /// timeout (the message comes back after the queue's visibility timeout); the case does not wait for them.
    /// </summary>
    static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(15);

    readonly string[] clinics = [.. new QueueOptions().ClinicList()];
    readonly string hub = "benchmulti" + Guid.NewGuid().ToString("N")[..10];
    readonly List<AppInstance> instances = [];

    TimeSpan Duration => TimeSpan.FromSeconds(options.LoadSeconds);

    TimeSpan Half => TimeSpan.FromSeconds(Math.Max(3, options.LoadSeconds / 2.0));

    IEnumerable<AppInstance> Live => instances.Where(i => !i.Killed);

    /// <summary>The live instances' worker ids, or null when an instance did not confirm it runs with its own.</summary>
    List<string>? LiveWorkers() => Live.All(i => i.WorkerIdConfirmed) ? [.. Live.Select(i => i.WorkerId)] : null;

    public async Task RunAsync(CancellationToken cancel)
    {
        Measure.Progress($"Scenario 3: app instances as separate processes (`dotnet {typeof(LocalHostProcess).Assembly.GetName().Name}.dll`), task hub {hub} ...");
        var view = new TaskHubView(azurite.ConnectionString, hub, Partitions);
        using var path = new HttpEnterPath([]);
        try
        {
            LoadCaseResult? one = null;
            for (var count = 1; count <= 3; count++)
            {
                await StartInstanceAsync(count, path, cancel);
                await view.WaitBalancedAsync(LiveWorkers(), BalanceCap, cancel);
                if (count == 1)
                {
                    await ClosedLoopRun.Begin(path, 1, c => clinics[c], "mwarm", clinics.Length, "warm-up", cancel).RunForAsync(TimeSpan.FromSeconds(60), Grace);
                }

                var steady = await SteadyAsync(count, path, view, cancel);
                one ??= steady;
                if (count > 1)
                {
                    steady.Notes.Add(Measure.Inv($"throughput against one instance: {steady.TicketsPerSecond / one.TicketsPerSecond:0.00}x ({steady.TicketsPerSecond:0.0} vs {one.TicketsPerSecond:0.0} tickets/s)"));
                }

                LoadCase.Print(steady);
            }

            await KillOneAsync(path, view, cancel);
            await StartOneMoreAsync(path, view, cancel);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    async Task<AppInstance> StartInstanceAsync(int index, HttpEnterPath path, CancellationToken cancel)
    {
        var start = Measure.Now;
        var instance = await AppInstance.StartAsync(index, hub, azurite.ConnectionString, BenchHost.Key, settings, cancel);
        instances.Add(instance);
        path.Add(instance.Index, instance.BaseAddress);
        Measure.Progress(Measure.Inv($"  instance {index} (pid {instance.ProcessId}, worker id {instance.WorkerId}) ready at {instance.BaseAddress} after {Measure.SecondsSince(start):0.0} s"));
        if (!instance.WorkerIdConfirmed)
        {
            var warning = $"instance {index} did not print its worker id: if this local host does not read LocalHost:WorkerId yet, every instance runs as the same worker (the machine name) and they share partitions (split brain); the multi-instance figures are then not those of distinct instances";
            Measure.Progress("  WARNING: " + warning);
            if (index == 1)
            {
                results.Notes.Add(warning);
            }
        }

        return instance;
    }

    StorageRequests InstancesStorage() => instances.Aggregate(StorageRequests.None, (sum, i) => sum + i.Storage);

    async Task ResetAllAsync(HttpEnterPath path, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        var address = path.Instances[0].Address;
        await Task.WhenAll(clinics.Select(async clinic =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "api/v1/queue/reset")) { Content = JsonContent.Create(new { clinic }) };
            request.Headers.Add("x-functions-key", BenchHost.Key);
            using var response = await http.SendAsync(request, cancel);
            if ((int)response.StatusCode != 200)
            {
                throw new InvalidOperationException($"reset of {clinic} answered {(int)response.StatusCode}");
            }
        }));
    }

    LoadCase Spec(string name, int instancesCount, string prefix) =>
        new(name, LoadCase.SignalWatcher, instancesCount, clinics, options.InstanceClients, 0, prefix);

    async Task<LoadCaseResult> SteadyAsync(int count, HttpEnterPath path, TaskHubView view, CancellationToken cancel)
    {
        var spec = Spec(Measure.Inv($"{count} instance{(count > 1 ? "s" : "")}, {clinics.Length} clinics, {options.InstanceClients} clients"), count, $"m{count}");
        await ResetAllAsync(path, cancel);
        Measure.Progress(Measure.Inv($"Scenario 3 [processes] {spec.Name}: {options.LoadSeconds} s ..."));
        var before = InstancesStorage();
        var run = spec.Begin(path, options.LoadCount, cancel);
        await run.RunForAsync(Duration, Grace);
        var result = spec.Result(run, InstancesStorage() - before);
        result.Broken.AddRange(await GuaranteeCheck.RunAsync(view.Client, clinics, result.Samples, cancel));
        if (count > 1 && (result.CountOf(504) > 0 || result.CountOf(EnterOutcome.NoAnswer) > 0))
        {
            result.Broken.Add(Measure.Inv($"{result.CountOf(504)} answers were 504 and {result.CountOf(EnterOutcome.NoAnswer)} got no answer with {count} instances on one task hub: expected none"));
        }

        results.Add(result);
        return result;
    }

    /// <summary>
    /// Kills (the whole process tree of) the instance that owns the most clinics' partitions, mid-run. Its clinics
    /// answer again once another instance takes its partitions over, which the Azure Storage provider does when the
    /// dead worker's lease expires (LeaseInterval, 30 s by default). Measured per clinic: from the kill to the first
    /// 200 for a request sent after the kill; the figure is the longest over its clinics.
    /// </summary>
    async Task KillOneAsync(HttpEnterPath path, TaskHubView view, CancellationToken cancel)
    {
        var live = Live.ToList();
        var spec = Spec(Measure.Inv($"{live.Count} instances, one killed mid-run, {options.InstanceClients} clients"), live.Count, "mkill");
        await ResetAllAsync(path, cancel);
        var (owners, _) = await view.OwnersAsync(cancel);
        var (victim, victimClinics, ownershipKnown) = Victim(live, owners, view);

        Measure.Progress(Measure.Inv($"Scenario 3 [processes] {spec.Name}: {Half.TotalSeconds:0} s, then kill instance {victim.Index} ({view.Describe(owners)}) ..."));
        var before = InstancesStorage();
        var run = spec.Begin(path, 0, cancel);
        await Task.Delay(Half, cancel);

        var killedAt = Measure.Now;
        victim.Kill();
        path.Remove(victim.Index);
        Measure.Progress($"  killed instance {victim.Index} (pid {victim.ProcessId}, worker id {victim.WorkerId}); its clinics: {string.Join(", ", victimClinics)}");
        await WaitForTakeoverAsync(run, killedAt, victimClinics, cancel);

        await Task.Delay(Half, cancel);
        await run.StopAsync(KillGrace);
        var result = spec.Result(run, InstancesStorage() - before);
        var back = Recovered(run, killedAt, victimClinics);
        var others = Recovered(run, killedAt, clinics.Except(victimClinics));
        if (back.Count > 0)
        {
            result.Notes.Add(Measure.Inv($"takeover: the killed instance's clinics answered again after at most {back.Values.Max():0.0} s ") +
                             $"({string.Join(", ", back.OrderBy(p => p.Key).Select(p => Measure.Inv($"{p.Key} {p.Value:0.0} s")))})" +
                             (others.Count > 0 ? Measure.Inv($"; the other clinics' first 200 after the kill came within {others.Values.Max():0.0} s") : "") +
                             (ownershipKnown ? "" : "; which clinics it owned was not known, so every clinic is counted"));
        }

        foreach (var clinic in victimClinics.Except(back.Keys))
        {
            result.Broken.Add(Measure.Inv($"clinic {clinic} answered no request sent after the kill within {options.TakeoverSeconds} s"));
        }

        result.Notes.Add(Measure.Inv($"{result.CountOf(504)} x 504 and {result.CountOf(EnterOutcome.CutOff)} cut off: requests whose signal the killed instance had already taken (they come back after the queue's visibility timeout); {result.CountOf(EnterOutcome.NoAnswer)} requests to the killed instance got no answer"));
        result.Broken.AddRange(await GuaranteeCheck.RunAsync(view.Client, clinics, result.Samples, cancel));
        results.Add(result);
        results.TakeoverSeconds = back.Count > 0 ? back.Values.Max() : null;
        LoadCase.Print(result);
    }

    /// <summary>The instance that owns the most clinics' partitions, and those clinics (all of them when the owners are not known).</summary>
    (AppInstance Victim, List<string> Clinics, bool OwnershipKnown) Victim(List<AppInstance> live, Dictionary<int, string> owners, TaskHubView view)
    {
        var owned = live.ToDictionary(i => i, i => clinics.Where(c => owners.GetValueOrDefault(view.PartitionOf(c)) == i.WorkerId).ToList());
        var victim = owned.MaxBy(p => p.Value.Count).Key;
        var victimClinics = owned[victim];
        var ownershipKnown = victimClinics.Count > 0;
        if (!ownershipKnown)
        {
            // The partition table names no instance's worker id (see the worker id warning): watch every clinic.
            victimClinics = [.. clinics];
        }

        return (victim, victimClinics, ownershipKnown);
    }

    /// <summary>Until every clinic of the killed instance answers again, or <see cref="BenchOptions.TakeoverSeconds"/> pass.</summary>
    async Task WaitForTakeoverAsync(ClosedLoopRun run, long killedAt, List<string> victimClinics, CancellationToken cancel)
    {
        var lastProgress = Measure.Now;
        while (Recovered(run, killedAt, victimClinics).Count < victimClinics.Count && Measure.SecondsSince(killedAt) < options.TakeoverSeconds)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancel);
            if (Measure.SecondsSince(lastProgress) >= 5)
            {
                lastProgress = Measure.Now;
                Measure.Progress(Measure.Inv($"  {Measure.SecondsSince(killedAt):0} s after the kill: {Recovered(run, killedAt, victimClinics).Count} of {victimClinics.Count} of its clinics answer again"));
            }
        }
    }

    /// <summary>Per clinic, seconds from the kill to the first 200 of a request sent after it; clinics without one are left out.</summary>
    static Dictionary<string, double> Recovered(ClosedLoopRun run, long killedAt, IEnumerable<string> which) => which
        .Select(c => (Clinic: c, First: run.Samples.Where(s => s.Clinic == c && s.Outcome.Status == 200 && s.SentAt >= killedAt).Select(s => (double?)Measure.Ms(killedAt, s.DoneAt)).Min()))
        .Where(x => x.First is not null)
        .ToDictionary(x => x.Clinic, x => x.First!.Value / 1000);

    /// <summary>One more instance joins mid-run: partitions move to it, and the clients must see no 504 and no failed request.</summary>
    async Task StartOneMoreAsync(HttpEnterPath path, TaskHubView view, CancellationToken cancel)
    {
        var live = Live.ToList();
        await view.WaitBalancedAsync(LiveWorkers(), BalanceCap, cancel);
        var spec = Spec(Measure.Inv($"{live.Count} instances, one more started mid-run, {options.InstanceClients} clients"), live.Count + 1, "mjoin");
        await ResetAllAsync(path, cancel);
        Measure.Progress(Measure.Inv($"Scenario 3 [processes] {spec.Name}: {Half.TotalSeconds:0} s, start one more instance, wait for the partitions to settle, {Half.TotalSeconds:0} s ..."));
        var before = InstancesStorage();
        var run = spec.Begin(path, 0, cancel);
        await Task.Delay(Half, cancel);
        var joinStarted = Measure.Now;
        var joined = await StartInstanceAsync(instances.Max(i => i.Index) + 1, path, cancel);
        var owners = await view.WaitBalancedAsync(LiveWorkers(), BalanceCap, cancel);
        var settled = Measure.Now;
        Measure.Progress(Measure.Inv($"  partitions settled {Measure.Ms(joinStarted, settled) / 1000:0.0} s after the start: {view.Describe(owners)}"));
        await Task.Delay(Half, cancel);
        await run.StopAsync(Grace);

        var result = spec.Result(run, InstancesStorage() - before);
        string Phase(string name, Func<EnterSample, bool> which)
        {
            var ms = run.Samples.Where(s => s.Outcome.Status == 200 && which(s)).Select(s => s.Ms).Order().ToList();
            return Measure.Inv($"{name} p50 {Measure.Percentile(ms, 50):0} / p99 {Measure.Percentile(ms, 99):0} ms ({ms.Count:N0})");
        }

        result.Notes.Add("latency by when the request was sent: " + string.Join("; ", Phase("before the start", s => s.SentAt < joinStarted),
            Phase("while it started and partitions moved", s => s.SentAt >= joinStarted && s.SentAt < settled), Phase("after", s => s.SentAt >= settled)));
        result.Notes.Add(Measure.Inv($"the new instance answered {run.Samples.Count(s => s.Outcome.Instance == joined.Index && s.Outcome.Status == 200):N0} enters"));
        var failed = run.Samples.Count(s => s.Outcome.Status != 200);
        if (failed > 0)
        {
            // Where and when they were sent tells a partition handoff from an instance that was not ready.
            result.Notes.Add("not 200: " + string.Join("; ", run.Samples.Where(s => s.Outcome.Status != 200).Take(5).Select(s => Measure.Inv(
                $"{EnterOutcome.Label(s.Outcome.Status)} from instance {s.Outcome.Instance} for {s.Clinic}, sent {Measure.Ms(joinStarted, s.SentAt) / 1000:0.0} s after the start, after {s.Ms / 1000:0.0} s"))));
            result.Broken.Add(Measure.Inv($"{failed} requests were not answered 200 while an instance joined ({result.NotOkText()}): the clients noticed"));
        }

        result.Broken.AddRange(await GuaranteeCheck.RunAsync(view.Client, clinics, result.Samples, cancel));
        results.Add(result);
        LoadCase.Print(result);
    }
}
