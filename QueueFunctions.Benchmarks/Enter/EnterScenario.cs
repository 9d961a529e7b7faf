using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Enter;

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
        await ResetClinicsAsync(http, cancel);
        var numbers = clinics.ToDictionary(c => c, _ => new List<int>());
        await OpenConnectionsAsync(http, cancel);
        return await RunAsync(
            "(a) HTTP: signal + watcher confirms", (clinic, user) => HttpEnterAsync(http, clinic, user, cancel), numbers,
            app.Services.GetRequiredService<ClinicStateReader>(), app, cancel);
    }

    async Task ResetClinicsAsync(HttpClient http, CancellationToken cancel)
    {
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
    }

    /// <summary>
    /// Opens the connections the burst will use, so it measures the app and not N TCP handshakes against Kestrel's
    /// listen backlog (an unknown clinic is refused before any storage access).
    /// </summary>
    async Task OpenConnectionsAsync(HttpClient http, CancellationToken cancel) =>
        await Task.WhenAll(Enumerable.Range(0, options.Enters).Select(async _ =>
        {
            using var r = await http.GetAsync("api/v1/queue/status?clinic=bench-warm-up", cancel);
        }));

    static async Task<(int? Number, string? Failure)> HttpEnterAsync(HttpClient http, string clinic, string user, CancellationToken cancel)
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

    /// <summary>How long a burst of (b) may take before the unanswered enters count as failed.</summary>
    public static readonly TimeSpan OrchestrationCap = TimeSpan.FromSeconds(180);

    /// <summary>
    /// (b) ScheduleNewOrchestrationInstanceAsync, then wait for completion, on a second host. With
    /// <paramref name="pollEvery"/> null the client's WaitForInstanceCompletionAsync waits (the local host's client
    /// reads the instance every 100 ms); otherwise GetInstanceAsync every <paramref name="pollEvery"/>.
    /// </summary>
    public async Task<EnterRun> RunOrchestrationAsync(LocalQueueHost orchestrationHost, TimeSpan? pollEvery, CancellationToken cancel)
    {
        var numbers = clinics.ToDictionary(c => c, _ => new List<int>());
        var enters = new OrchestrationEnters(orchestrationHost.Client, pollEvery, OrchestrationCap, cancel);
        var path = pollEvery is { } poll
            ? Measure.Inv($"(b2) orchestration, client polls {poll.TotalSeconds:0} s")
            : "(b) orchestration, WaitForInstanceCompletion";
        var run = await RunAsync(path, enters.EnterAsync, numbers, null, orchestrationHost, cancel);
        return run with
        {
            EngineLatency = enters.EngineLatency,
            EngineSeconds = enters.EngineSeconds,
        };
    }

    async Task<EnterRun> RunAsync(
        string path,
        Func<string, string, Task<(int? Number, string? Failure)>> enter,
        Dictionary<string, List<int>> numbers,
        ClinicStateReader? reader,
        LocalQueueHost host,
        CancellationToken cancel)
    {
        var sequential = await WarmUpAsync(enter, numbers);
        Measure.Progress($"Scenario 2 {path}: warm; one enter at a time: {Measure.Dist([.. sequential])}; now {options.Enters:N0} at once over {clinics.Length} clinics ...");
        long readsBefore = reader?.Reads ?? 0;
        var burst = await BurstAsync(path, enter, numbers, cancel);
        long reads = (reader?.Reads ?? 0) - readsBefore;
        var (exact, note) = await CheckStoredAsync(host, burst.Answered, cancel);
        Measure.Progress($"Scenario 2 {path}: {burst.Ok:N0} ok, {burst.Failed:N0} failed in {burst.Seconds:0.0} s = {burst.Ok / burst.Seconds:0.0} enters/s; {note}");
        return new EnterRun(path, burst.Ok, burst.Failed, burst.Seconds, burst.Latency, sequential, exact, note, burst.FirstFailure, reads);
    }

    /// <summary>Warm-up: one enter per clinic, then sequential single enters (unloaded latency), which it returns.</summary>
    async Task<List<double>> WarmUpAsync(Func<string, string, Task<(int? Number, string? Failure)>> enter, Dictionary<string, List<int>> numbers)
    {
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

        return sequential;
    }

    /// <summary>The burst: <see cref="BenchOptions.Enters"/> enters at once, round-robin over the clinics, each a new user.</summary>
    async Task<Burst> BurstAsync(
        string path, Func<string, string, Task<(int? Number, string? Failure)>> enter, Dictionary<string, List<int>> numbers, CancellationToken cancel)
    {
        var burst = new Burst();
        var start = Measure.Now;
        var enters = Enumerable.Range(0, options.Enters).Select(i => Task.Run(async () =>
        {
            var clinic = clinics[i % clinics.Length];
            var t0 = Measure.Now;
            var (number, failure) = await enter(clinic, "burst-" + i);
            var ms = Measure.Ms(t0, Measure.Now);
            lock (burst)
            {
                if (number is { } n)
                {
                    burst.Answered["burst-" + i] = n;
                    burst.Ok++;
                    burst.Latency.Add(ms);
                    numbers[clinic].Add(n);
                }
                else
                {
                    burst.Failed++;
                    burst.FirstFailure ??= failure;
                }
            }
        }, CancellationToken.None)).ToList();

        var all = Task.WhenAll(enters);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), cancel));
            if (!all.IsCompleted)
            {
                int finished;
                lock (burst)
                {
                    finished = burst.Ok + burst.Failed;
                }

                Measure.Progress($"  {path}: {finished:N0} of {options.Enters:N0} answered after {Measure.SecondsSince(start):0} s");
            }
        }

        burst.Seconds = Measure.SecondsSince(start);
        return burst;
    }

    /// <summary>
    /// The stored queue of every clinic must be numbered exactly 1..n (no duplicate, no gap), one ticket per user,
    /// and every number given in an answer must be that user's stored ticket.
    /// </summary>
    async Task<(bool Exact, string Note)> CheckStoredAsync(LocalQueueHost host, Dictionary<string, int> answered, CancellationToken cancel)
    {
        var bad = new List<string>();
        int stored = 0, mismatched = 0;
        foreach (var clinic in clinics)
        {
            var state = (await host.Client.Entities.GetEntityAsync<Domain.ClinicQueueState>(ClinicStateReader.EntityIdOf(clinic), cancellation: cancel))?.State;
            var tickets = state?.Tickets ?? [];
            stored += tickets.Count;
            if (!tickets.Select(t => t.Number).Order().SequenceEqual(Enumerable.Range(1, tickets.Count))
                || tickets.Select(t => t.User.ToLowerInvariant()).Distinct().Count() != tickets.Count)
            {
                bad.Add(clinic);
            }

            mismatched += tickets.Count(t => answered.TryGetValue(t.User, out var n) && n != t.Number);
        }

        var note = bad.Count == 0 && mismatched == 0
            ? $"stored: {stored:N0} tickets over {clinics.Length} clinics, each clinic exactly 1..n; every answer matches its stored ticket"
            : $"stored queue NOT exact at [{string.Join(", ", bad)}], {mismatched} answers differ from the stored ticket";
        return (bad.Count == 0 && mismatched == 0, note);
    }

    /// <summary>What the burst's enters got back, gathered under a lock as they answer.</summary>
    sealed class Burst
    {
        public Dictionary<string, int> Answered { get; } = [];
        public List<double> Latency { get; } = [];
        public int Ok { get; set; }
        public int Failed { get; set; }
        public string? FirstFailure { get; set; }
        public double Seconds { get; set; }
    }

    public void Report(EnterRun? http, EnterRun? orchestration, EnterRun? polled)
    {
        foreach (var run in new[] { http, orchestration, polled }.OfType<EnterRun>())
        {
            AddRunRows(run);
        }

        SetFigures(http, orchestration, polled);
        if (http is not null)
        {
            report.Add(Section, "(a): entity state reads during the burst", Measure.Inv($"{http.Reads:N0} ({http.Reads / http.Seconds:0.0}/s)"),
                Measure.Inv($"{(double)http.Reads / Math.Max(1, http.Ok):0.00} per enter: one read before the signal, then the shared watcher"));
            foreach (var b in new[] { orchestration, polled }.OfType<EnterRun>())
            {
                AddRatioRows(http, b, b == polled ? "b2" : "b");
            }
        }
    }

    void AddRunRows(EnterRun run)
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
                Measure.Inv($"by the last instance's completion time; {run.Ok + run.Failed:N0} waiting clients also load storage"));
        }

        report.Add(Section, run.Path + ": failed", Measure.Inv($"{run.Failed:N0}"), run.FirstFailure ?? "");
        report.Add(Section, run.Path + ": numbers", run.NumbersExact ? "unique, gap-free" : "BROKEN", run.NumbersNote);
    }

    void SetFigures(EnterRun? http, EnterRun? orchestration, EnterRun? polled)
    {
        if (http is not null)
        {
            http.Sequential.Sort();
            Figures.HttpEnterPerEntity = http.PerSecond / clinics.Length;
            Figures.HttpSequentialP50 = Measure.Percentile(http.Sequential, 50);
        }

        // For the references, the better of the two ways of waiting.
        var waits = new[] { orchestration, polled }.OfType<EnterRun>().ToList();
        if (waits.Count > 0)
        {
            waits.ForEach(r => r.Sequential.Sort());
            Figures.OrchestrationEnterPerEntity = waits.Max(r => r.PerSecond) / clinics.Length;
            Figures.OrchestrationSequentialP50 = waits.Min(r => Measure.Percentile(r.Sequential, 50));
        }
    }

    /// <summary>(a) against one way of waiting for the orchestration, (b) or (b2).</summary>
    void AddRatioRows(EnterRun http, EnterRun b, string tag)
    {
        if (b.Ok == 0)
        {
            report.Add(Section, $"ratio a/{tag}", "n/a", Measure.Inv($"({tag}) answered no enter within {OrchestrationCap.TotalSeconds:0} s"));
            return;
        }

        report.Add(Section, $"ratio a/{tag}: enters/s", Measure.Inv($"{http.PerSecond / b.PerSecond:0.00}x"), "above 1: the HTTP path is faster");
        http.Latency.Sort();
        b.Latency.Sort();
        report.Add(Section, $"ratio {tag}/a: burst p50 latency", Measure.Inv($"{Measure.Percentile(b.Latency, 50) / Measure.Percentile(http.Latency, 50):0.00}x"),
            b.Failed > 0 ? "of the answered ones only" : "above 1: the HTTP path answers sooner");
        http.Sequential.Sort();
        b.Sequential.Sort();
        report.Add(Section, $"ratio {tag}/a: one-at-a-time p50 latency", Measure.Inv($"{Measure.Percentile(b.Sequential, 50) / Measure.Percentile(http.Sequential, 50):0.00}x"), "");
    }

    public const string Method =
        """
        Enter path method (scenario 2): (a) and (b) run one after the other, each with only its own host running,
        on the same Azurite, the same clinics and the same burst (N concurrent enters, round-robin over 5 clinics,
        each a new user). (a) is POST /api/v1/queue/enter over HTTP (connections opened beforehand): the app reads the
        state once, signals the entity, and the clinic's watcher confirms the ticket. (b) is the canonical Durable way:
        the client schedules a small orchestration that CallEntityAsync's the same ClinicQueueEntity code (wrapped
        only to return the number) and waits with WaitForInstanceCompletionAsync (the local host's client polls the
        instance every 100 ms, so N waiting clients make 10 x N storage reads per second). (b2) is the same on a
        fresh host, but each client polls its instance every 2 s (the Azure Storage provider's pace on Azure), which
        separates the engine's own pace from the polling load. (b) and (b2) have no HTTP in front of them, which
        favours them. A (b) burst is cut off after 180 s; unanswered enters count as failed. Every path is warmed up
        first, and measured one request at a time too. Enters/s = answered enters / (last answer - first send).
        Numbers are checked on the stored entity state afterwards: 1..n per clinic, and each answer = stored ticket.
        """;
}
