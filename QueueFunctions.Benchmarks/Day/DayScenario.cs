using System.Net.Http.Json;
using QueueFunctions.Benchmarks.Load;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Benchmarks.Day;

/// <summary>
/// Scenario 6: two app instances as separate processes on one task hub, with the app's own host.json polling (no
/// benchmark override). First their idle cost, then the first requests after a silence, then a day's pace (enters and
/// dones at fixed rates over 8 clinics, spread over both instances), its storage cost per ticket, and the guarantees.
/// </summary>
/// <param name="partitions">The task hub's partitions; 0: host.json's.</param>
public sealed class DayScenario(BenchOptions options, AzuriteProcess azurite, IDictionary<string, string?> settings, Report report, LoadResults results, int partitions = 0)
{
    double TargetP99 => RealHost ? 300 : 150;
    const double SecondsPerMonth = 30 * 86400;

    public const string Method =
        """
        Day method (scenario 6): two local host processes (worker ids bench-1, bench-2) on one task hub (4 partitions),
        each with the app's host.json: control and work-item queues polled at most maxQueuePollingInterval apart when
        idle, the app's storage queues at most queues.maxPollingInterval apart. Storage requests are counted in each
        process (Azure.Core events through a startup hook). Idle: both instances up, warmed (one enter per clinic on
        each), then nothing for --idle-seconds: requests per second per instance, with the month at list prices. The
        silence goes on to --silence-seconds, then one enter per clinic, one after the other, alternately to each
        instance: the first request each partition's queue sees after the silence. The pace: open loop, enters and
        dones at fixed rates round-robin over 8 clinics and over both instances; a done finishes the oldest confirmed
        ticket of the next clinic that has one. Each request is marked by whether the instance it reached owned the
        clinic's partition at the start. The app's default confirm timeout (10 s) applies: a late answer is a 504.
        """;

    readonly string[] clinics = [.. new QueueOptions().ClinicList().Take(8)];
    readonly string hub = "benchday" + Guid.NewGuid().ToString("N")[..10];

    bool RealHost => options.DayHost == "real";

    string Section => Measure.Inv($"Scenario 6: a day's pace on 2 instances, {(RealHost ? "Azure Functions host" : "local host")}, {Partitions} partitions (host.json polling)");

    int Partitions => partitions > 0 ? partitions : HostJson.Partitions;

    public async Task RunAsync(CancellationToken cancel)
    {
        var instanceSettings = new Dictionary<string, string?>(settings);
        instanceSettings.Remove("Queue:ConfirmTimeoutSeconds");
        if (partitions > 0)
        {
            instanceSettings[RealHost ? "AzureFunctionsJobHost:extensions:durableTask:storageProvider:partitionCount" : LocalHostConfigKeys.PartitionCount] =
                partitions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var instances = new List<PaceInstance>();
        var clients = new List<(int Index, HttpClient Http)>();
        var work = Path.Combine(Path.GetTempPath(), "queue-bench-day-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            TaskHubView view;
            if (RealHost)
            {
                var repo = AzuriteProcess.FindRepositoryRoot() ?? throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory);
                Measure.Progress($"Scenario 6: two Azure Functions hosts ({FunctionsHostProcess.Folder(repo)}), task hub {hub}, {Partitions} partitions, clinics {string.Join(", ", clinics)} ...");
                var app = await FunctionsHostProcess.PublishAsync(repo, Path.Combine(work, "app"), cancel);
                instanceSettings["AzureFunctionsJobHost:extensions:durableTask:hubName"] = hub;
                view = new TaskHubView(azurite.ConnectionString, hub, Partitions);
                for (var i = 1; i <= 2; i++)
                {
                    var id = $"benchhost{i}";
                    var host = await FunctionsHostProcess.StartAsync(repo, app, Path.Combine(work, "hosts"), azurite.ConnectionString, id, BenchHost.Key, instanceSettings, cancel);
                    instances.Add(new PaceInstance(i, host.BaseAddress, owner => owner.Contains(id, StringComparison.OrdinalIgnoreCase), null, host));
                    Measure.Progress($"  host {i} Running at {host.BaseAddress}");
                }
            }
            else
            {
                Measure.Progress($"Scenario 6: two app instances as separate processes, task hub {hub}, {Partitions} partitions, clinics {string.Join(", ", clinics)} ...");
                view = new TaskHubView(azurite.ConnectionString, hub, Partitions);
                for (var i = 1; i <= 2; i++)
                {
                    var instance = await AppInstance.StartAsync(i, hub, azurite.ConnectionString, BenchHost.Key, instanceSettings, cancel);
                    instances.Add(new PaceInstance(i, instance.BaseAddress, owner => owner == instance.WorkerId, instance.NextStorageAsync, instance));
                    Measure.Progress($"  instance {i} (pid {instance.ProcessId}) ready at {instance.BaseAddress}");
                }
            }

            clients.AddRange(instances.Select(i => (i.Index, new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = i.BaseAddress, Timeout = TimeSpan.FromSeconds(60) })));
            var owners = await view.WaitBalancedAsync(null, TimeSpan.FromSeconds(90), cancel);
            Measure.Progress("  partitions: " + view.Describe(owners));
            bool Owns(string clinic, int index) => owners.TryGetValue(view.PartitionOf(clinic), out var owner) && instances[index - 1].Owner(owner);

            // A fresh task hub's first requests open every clinic's day at once, and a host just started answers slowly:
            // not measured, so a timeout there is tried again.
            var pins = await WarmUpAsync(() => BenchHttp.PinsAsync(clients[0].Http, cancel), "the PINs", cancel);
            foreach (var clinic in clinics)
            {
                foreach (var (index, http) in clients)
                {
                    await WarmUpAsync(async () => await EnterOnceAsync(http, clinic, $"warm-{clinic}-{index}", cancel) == 200 ? true : throw new InvalidOperationException($"warm-up enter at {clinic} was refused"), "an enter", cancel);
                }
            }

            await MeasureIdleAsync(instances, cancel);
            await FirstAfterSilenceAsync(clients, Owns, cancel);
            var flow = await PaceAsync(instances, clients, pins, Owns, cancel);

            var samples = flow.Tickets.Select(t => new EnterSample(t.Clinic, t.User, 0, 0, new EnterOutcome(200, t.Number, null))).ToList();
            var broken = await GuaranteeCheck.RunAsync(view.Client, clinics, samples, cancel, flow.Finished.ToHashSet(StringComparer.OrdinalIgnoreCase));
            foreach (var b in broken)
            {
                results.Fail("day's pace: " + b);
            }

            report.Add(Section, "guarantees after the pace", broken.Count == 0 ? "hold" : "BROKEN", "numbers 1..n, one ticket per user, every answer = the stored ticket");
            WritePlot(flow.Samples);
        }
        finally
        {
            clients.ForEach(c => c.Http.Dispose());
            foreach (var instance in instances)
            {
                await instance.Process.DisposeAsync();
            }

            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    async Task MeasureIdleAsync(List<PaceInstance> instances, CancellationToken cancel)
    {
        Measure.Progress(Measure.Inv($"Scenario 6: idle for {options.IdleSeconds} s (both instances up, nothing sent) ..."));
        if (instances.Any(i => i.NextStorage is null))
        {
            await Task.Delay(TimeSpan.FromSeconds(10 + options.IdleSeconds), cancel);
            report.Add(Section, "idle storage requests/s", "not counted on this host", "measured on the local host");
            return;
        }

        // Let the queues back off from the warm-up first, as they do between patients.
        await Task.Delay(TimeSpan.FromSeconds(10), cancel);
        var start = Measure.Now;
        var before = await Task.WhenAll(instances.Select(i => i.NextStorage!(cancel)));
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), cancel);
        var after = await Task.WhenAll(instances.Select(i => i.NextStorage!(cancel)));
        var seconds = Measure.SecondsSince(start);
        for (var i = 0; i < instances.Count; i++)
        {
            var idle = after[i] - before[i];
            var perSecond = idle.Total / seconds;
            var monthly = StoragePrices.Cost(idle) / seconds * SecondsPerMonth;
            report.Add(Section, $"idle storage requests/s, instance {i + 1}", Measure.Inv($"{perSecond:0.00}/s = USD {monthly:0.00} a month"), idle.Describe());
            Measure.Progress(Measure.Inv($"  instance {i + 1} idle: {perSecond:0.00} storage requests/s ({idle.Describe()}), USD {monthly:0.00} a month"));
            if (i == 0)
            {
                results.IdleRequestsPerSecond = perSecond;
            }
        }
    }

    async Task FirstAfterSilenceAsync(List<(int Index, HttpClient Http)> clients, Func<string, int, bool> owns, CancellationToken cancel)
    {
        var rest = options.SilenceSeconds - options.IdleSeconds - 10;
        if (rest > 0)
        {
            Measure.Progress(Measure.Inv($"Scenario 6: {rest} s more of silence ..."));
            await Task.Delay(TimeSpan.FromSeconds(rest), cancel);
        }

        var lines = new List<string>();
        var slowest = 0.0;
        for (var k = 0; k < clinics.Length; k++)
        {
            var (index, http) = clients[k % clients.Count];
            var start = Measure.Now;
            var status = await EnterOnceAsync(http, clinics[k], $"first-{clinics[k]}", cancel);
            var ms = Measure.Ms(start, Measure.Now);
            slowest = Math.Max(slowest, ms);
            lines.Add(Measure.Inv($"{clinics[k]} via {index}{(owns(clinics[k], index) ? " (owner)" : "")}: {ms:0} ms{(status == 200 ? "" : $" ({status})")}"));
        }

        report.Add(Section, Measure.Inv($"first enters after {options.SilenceSeconds} s of silence"), Measure.Inv($"slowest {slowest:0} ms"), string.Join("; ", lines));
        Measure.Progress(Measure.Inv($"  first enters after the silence: {string.Join("; ", lines)}"));
    }

    async Task<PaceFlow> PaceAsync(List<PaceInstance> instances, List<(int Index, HttpClient Http)> clients, IReadOnlyDictionary<string, string> pins, Func<string, int, bool> owns, CancellationToken cancel)
    {
        Measure.Progress(Measure.Inv($"Scenario 6: the pace, {options.DayEntersPerSecond} enters/s and {options.DayDonesPerSecond} dones/s over {clinics.Length} clinics and 2 instances, {options.DaySeconds} s ..."));
        var flow = new PaceFlow(clients, clinics, pins, owns);
        var counted = instances.All(i => i.NextStorage is not null);
        var before = counted ? await Task.WhenAll(instances.Select(i => i.NextStorage!(cancel))) : [];
        await flow.RunAsync(TimeSpan.FromSeconds(options.DaySeconds), options.DayEntersPerSecond, options.DayDonesPerSecond, "day", cancel);
        var after = counted ? await Task.WhenAll(instances.Select(i => i.NextStorage!(cancel))) : [];
        var storage = after.Zip(before, (a, b) => a - b).Aggregate(StorageRequests.None, (sum, d) => sum + d);

        var all = flow.Samples;
        var enters = all.Where(s => s.Kind == "enter").ToList();
        var dones = all.Where(s => s.Kind == "done").ToList();
        var answered = PaceFigures.Answered(all);
        var p99 = answered.Count > 0 ? Measure.Percentile(answered, 99) : double.NaN;
        report.Add(Section, "all requests", PaceFigures.Describe(all), Measure.Inv($"target p99 <= {TargetP99:0} ms: {(p99 <= TargetP99 ? "met" : "missed")}"));
        report.Add(Section, "enters", PaceFigures.Describe(enters));
        report.Add(Section, "dones", PaceFigures.Describe(dones));
        report.Add(Section, "sent to the instance owning the clinic", PaceFigures.Describe(all.Where(s => s.Owner)));
        report.Add(Section, "sent to the other instance", PaceFigures.Describe(all.Where(s => !s.Owner)));
        var statuses = all.Where(s => s.Status != 200).GroupBy(s => s.Status).Select(g => Measure.Inv($"{g.Count()} x {(g.Key == 0 ? "no answer" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}"));
        report.Add(Section, "answers other than 200", string.Join(", ", statuses) is { Length: > 0 } text ? text : "none");
        var tickets = flow.Tickets.Count;
        if (tickets > 0 && counted)
        {
            report.Add(Section, "storage requests per ticket (both instances)", Measure.Inv($"{(double)storage.Total / tickets:0.0}"), Measure.Inv($"{storage.Describe()} for {tickets} tickets and {dones.Count(d => d.Status == 200)} dones, idle polling included"));
            report.Add(Section, "USD per 1,000 tickets", Measure.Inv($"{StoragePrices.Cost(storage) / tickets * 1000:0.0000}"), StoragePrices.Assumptions);
        }

        Measure.Progress("  pace: " + PaceFigures.Describe(all));
        return flow;
    }

    void WritePlot(IReadOnlyCollection<PaceSample> samples)
    {
        var folder = Path.GetDirectoryName(options.PlotPath ?? Path.Combine(AzuriteProcess.FindRepositoryRoot() ?? ".", "docs", "benchmark-latency.png")) ?? ".";
        var path = Path.Combine(folder, Measure.Inv($"benchmark-pace-{(RealHost ? "real-host" : "local-host")}-{Partitions}-partitions.png"));
        PacePlot.Write(path, samples, TargetP99);
        Measure.Progress($"Pace plot written to {Path.GetFullPath(path)}");
    }

    static async Task<T> WarmUpAsync<T>(Func<Task<T>> request, string what, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await request();
            }
            catch (InvalidOperationException e) when (attempt < 5)
            {
                Measure.Progress($"  warm-up: {what} failed ({e.Message}); again");
                await Task.Delay(TimeSpan.FromSeconds(2), cancel);
            }
        }
    }

    static async Task<int> EnterOnceAsync(HttpClient http, string clinic, string user, CancellationToken cancel)
    {
        using var response = await http.PostAsJsonAsync("api/v1/queue/enter", new { clinic, user }, cancel);
        return (int)response.StatusCode;
    }
}
