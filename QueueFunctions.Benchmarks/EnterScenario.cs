using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Configuration;
using QueueFunctions.Entities;
using QueueFunctions.LocalHost;

namespace QueueFunctions.Benchmarks;

/// <summary>Outcome of one enter path: the same burst of N concurrent enters over the same clinics.</summary>
public sealed record EnterRun(
    string Path,
    int Ok,
    int Failed,
    double Seconds,
    List<double> Latency,
    List<double> Sequential,
    bool NumbersExact,
    string NumbersNote,
    string? FirstFailure,
    long Reads,
    List<double>? EngineLatency = null,
    double? EngineSeconds = null)
{
    public double PerSecond => Ok / Seconds;
}

/// <summary>
/// The enter path, two ways, one after the other on an otherwise idle engine: (a) HTTP on the app (signal, then the
/// clinic's watcher confirms), (b) the canonical orchestration that calls the entity, with the client waiting for it.
/// </summary>
public sealed class EnterScenario(BenchOptions options, Report report)
{
    const string Section = "Scenario 2: enter path, same burst both ways";
    const int SequentialSamples = 10;

    readonly string[] clinics = new QueueOptions().ClinicList().Take(options.EnterClinics).ToArray();

    /// <summary>(a) POST /api/v1/queue/enter on the app.</summary>
    public async Task<EnterRun> RunHttpAsync(LocalQueueHost app, CancellationToken cancel)
    {
        using var http = BenchHttp.NewClient(app, TimeSpan.FromSeconds(120));
        foreach (var clinic in clinics)
        {
            using var reset = new HttpRequestMessage(HttpMethod.Post, "api/v1/queue/reset") { Content = JsonContent.Create(new { clinic }) };
            reset.Headers.Add("x-functions-key", BenchHost.Key);
            using var response = await http.SendAsync(reset, cancel);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"reset of {clinic} answered {(int)response.StatusCode}");
            }
        }

        var numbers = clinics.ToDictionary(c => c, _ => new List<int>());
        async Task<(int? Number, string? Failure)> EnterAsync(string clinic, string user)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("api/v1/queue/enter", new { clinic, user }, cancel);
                var body = await response.Content.ReadAsStringAsync(cancel);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return (null, $"{(int)response.StatusCode} {body}");
                }

                using var json = JsonDocument.Parse(body);
                return (json.RootElement.GetProperty("number").GetInt32(), null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                return (null, e.GetType().Name + ": " + e.Message);
            }
        }

        // Open the connections the burst will use, so it measures the app and not N TCP handshakes against
        // Kestrel's listen backlog (an unknown clinic is refused before any storage access).
        await Task.WhenAll(Enumerable.Range(0, options.Enters).Select(async _ =>
        {
            using var r = await http.GetAsync("api/v1/queue/status?clinic=bench-warm-up", cancel);
        }));

        return await RunAsync("(a) HTTP: signal + watcher confirms", EnterAsync, numbers, app.Services.GetRequiredService<ClinicStateReader>(), cancel);
    }

    /// <summary>(b) ScheduleNewOrchestrationInstanceAsync + WaitForInstanceCompletionAsync, on a second host.</summary>
    public async Task<EnterRun> RunOrchestrationAsync(LocalQueueHost orchestrationHost, CancellationToken cancel)
    {
        var numbers = clinics.ToDictionary(c => c, _ => new List<int>());
        var engineLatency = new List<double>();
        DateTimeOffset? burstStart = null, lastCompleted = null;
        async Task<(int? Number, string? Failure)> EnterAsync(string clinic, string user)
        {
            try
            {
                var sentAt = DateTimeOffset.UtcNow;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                timeout.CancelAfter(TimeSpan.FromSeconds(300));
                var client = orchestrationHost.Client;
                var id = await client.ScheduleNewOrchestrationInstanceAsync(
                    new TaskName(OrchestratedEnter.Name), new OrchestratedEnterInput(clinic, user), timeout.Token);
                var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
                if (user.StartsWith("burst-", StringComparison.Ordinal))
                {
                    // When the engine itself finished the instance, apart from when the polling client noticed.
                    lock (engineLatency)
                    {
                        burstStart ??= sentAt;
                        burstStart = sentAt < burstStart ? sentAt : burstStart;
                        lastCompleted = lastCompleted is null || done.LastUpdatedAt > lastCompleted ? done.LastUpdatedAt : lastCompleted;
                        engineLatency.Add((done.LastUpdatedAt - sentAt).TotalMilliseconds);
                    }
                }

                return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                    ? (done.ReadOutputAs<int>(), null)
                    : (null, $"{done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                return (null, e.GetType().Name + ": " + e.Message);
            }
        }

        var run = await RunAsync("(b) orchestration -> CallEntityAsync", EnterAsync, numbers, null, cancel);
        return run with
        {
            EngineLatency = engineLatency,
            EngineSeconds = burstStart is { } first && lastCompleted is { } last ? (last - first).TotalSeconds : null,
        };
    }

    async Task<EnterRun> RunAsync(
        string path,
        Func<string, string, Task<(int? Number, string? Failure)>> enter,
        Dictionary<string, List<int>> numbers,
        ClinicStateReader? reader,
        CancellationToken cancel)
    {
        // Warm-up: one enter per clinic, then sequential single enters (unloaded latency).
        foreach (var clinic in clinics)
        {
            if (await enter(clinic, "warm-" + clinic) is { Number: { } n })
            {
                numbers[clinic].Add(n);
            }
        }

        var sequential = new List<double>();
        for (var i = 0; i < SequentialSamples; i++)
        {
            var clinic = clinics[i % clinics.Length];
            var t0 = Measure.Now;
            if (await enter(clinic, "seq-" + i) is { Number: { } n })
            {
                sequential.Add(Measure.Ms(t0, Measure.Now));
                numbers[clinic].Add(n);
            }
        }

        Measure.Progress($"Scenario 2 {path}: warm; one enter at a time: {Measure.Dist([.. sequential])}; now {options.Enters:N0} at once over {clinics.Length} clinics ...");
        long readsBefore = reader?.Reads ?? 0;
        var latency = new List<double>();
        int ok = 0, failed = 0;
        string? firstFailure = null;
        var gate = new object();
        var start = Measure.Now;
        var burst = Enumerable.Range(0, options.Enters).Select(i => Task.Run(async () =>
        {
            var clinic = clinics[i % clinics.Length];
            var t0 = Measure.Now;
            var (number, failure) = await enter(clinic, "burst-" + i);
            var ms = Measure.Ms(t0, Measure.Now);
            lock (gate)
            {
                if (number is { } n)
                {
                    ok++;
                    latency.Add(ms);
                    numbers[clinic].Add(n);
                }
                else
                {
                    failed++;
                    firstFailure ??= failure;
                }
            }
        }, CancellationToken.None)).ToList();

        var all = Task.WhenAll(burst);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), cancel));
            if (!all.IsCompleted)
            {
                int finished;
                lock (gate)
                {
                    finished = ok + failed;
                }

                Measure.Progress($"  {path}: {finished:N0} of {options.Enters:N0} answered after {Measure.SecondsSince(start):0} s");
            }
        }

        double seconds = Measure.SecondsSince(start);
        long reads = (reader?.Reads ?? 0) - readsBefore;

        // Every clinic's numbers must be exactly 1..count: no duplicate, no gap.
        var bad = numbers.Where(c => !c.Value.Order().SequenceEqual(Enumerable.Range(1, c.Value.Count))).Select(c => c.Key).ToList();
        var note = bad.Count == 0
            ? $"each of {clinics.Length} clinics numbered exactly 1..{numbers.Values.Min(v => v.Count)}-{numbers.Values.Max(v => v.Count)}"
            : "NOT exact at " + string.Join(", ", bad);
        Measure.Progress($"Scenario 2 {path}: {ok:N0} ok, {failed:N0} failed in {seconds:0.0} s = {ok / seconds:0.0} enters/s; {note}");
        return new EnterRun(path, ok, failed, seconds, latency, sequential, bad.Count == 0, note, firstFailure, reads);
    }

    public void Report(EnterRun? http, EnterRun? orchestration, string? orchestrationSkipped)
    {
        foreach (var run in new[] { http, orchestration }.OfType<EnterRun>())
        {
            report.Add(Section, run.Path + ": enters/s", Measure.Inv($"{run.PerSecond:0.0} ({run.Ok:N0} in {run.Seconds:0.0} s)"),
                Measure.Inv($"{options.Enters:N0} at once over {clinics.Length} clinics = {run.PerSecond / clinics.Length:0.0}/s per clinic entity"));
            report.Add(Section, run.Path + ": burst latency", Measure.Dist(run.Latency), "each request, sent -> number known");
            report.Add(Section, run.Path + ": one at a time", Measure.Dist(run.Sequential), $"{SequentialSamples} sequential enters on a warm, idle host");
            if (run.EngineLatency is { Count: > 0 } engine)
            {
                report.Add(Section, run.Path + ": engine-side latency", Measure.Dist(engine),
                    "sent -> instance completed (its LastUpdatedAt), without the client's polling delay");
                report.Add(Section, run.Path + ": engine-side enters/s", Measure.Inv($"{run.Ok / (run.EngineSeconds ?? double.NaN):0.0}"),
                    "by the last instance's completion time; 1,000 clients polling every 100 ms also load storage");
            }

            report.Add(Section, run.Path + ": failed", Measure.Inv($"{run.Failed:N0}"), run.FirstFailure ?? "");
            report.Add(Section, run.Path + ": numbers", run.NumbersExact ? "unique, gap-free" : "BROKEN", run.NumbersNote);
        }

        if (http is not null)
        {
            http.Sequential.Sort();
            Figures.HttpEnterPerEntity = http.PerSecond / clinics.Length;
            Figures.HttpSequentialP50 = Measure.Percentile(http.Sequential, 50);
        }

        if (orchestration is not null)
        {
            orchestration.Sequential.Sort();
            Figures.OrchestrationEnterPerEntity = orchestration.PerSecond / clinics.Length;
            Figures.OrchestrationSequentialP50 = Measure.Percentile(orchestration.Sequential, 50);
        }

        if (http is not null)
        {
            report.Add(Section, "(a): entity state reads during the burst", Measure.Inv($"{http.Reads:N0} ({http.Reads / http.Seconds:0.0}/s)"),
                Measure.Inv($"{(double)http.Reads / Math.Max(1, http.Ok):0.00} per enter: one read before the signal, then the shared watcher"));
        }

        if (http is not null && orchestration is not null)
        {
            report.Add(Section, "ratio a/b: enters/s", Measure.Inv($"{http.PerSecond / orchestration.PerSecond:0.00}x"), "above 1: the HTTP path is faster");
            http.Latency.Sort();
            orchestration.Latency.Sort();
            report.Add(Section, "ratio b/a: burst p50 latency", Measure.Inv($"{Measure.Percentile(orchestration.Latency, 50) / Measure.Percentile(http.Latency, 50):0.00}x"),
                "above 1: the HTTP path answers sooner");
            http.Sequential.Sort();
            orchestration.Sequential.Sort();
            report.Add(Section, "ratio b/a: one-at-a-time p50 latency", Measure.Inv($"{Measure.Percentile(orchestration.Sequential, 50) / Measure.Percentile(http.Sequential, 50):0.00}x"), "");
        }
        else if (orchestrationSkipped is not null)
        {
            report.Add(Section, "(b) orchestration path", "skipped", orchestrationSkipped);
        }
    }

    public const string Method =
        """
        Enter path method (scenario 2): (a) and (b) run one after the other, each with only its own host running,
        on the same Azurite, the same clinics and the same burst (N concurrent enters, round-robin over 5 clinics,
        each a new user). (a) is POST /api/v1/queue/enter over HTTP (connections opened beforehand): the app reads the
        state once, signals the entity, and the clinic's watcher confirms the ticket. (b) is the canonical Durable way:
        the client schedules a small orchestration that CallEntityAsync's the same ClinicQueueEntity code (wrapped
        only to return the number) and waits with WaitForInstanceCompletionAsync (the local host's client polls the
        instance every 100 ms). (b) has no HTTP in front of it, which favours (b). Both are warmed up first, and
        measured one request at a time too. Enters/s = answered enters / (last answer - first send).
        """;
}
