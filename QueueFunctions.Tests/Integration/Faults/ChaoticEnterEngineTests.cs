using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support.Checks;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Faults;

/// <summary>
/// 10,000 patients entering 16 clinics the way real clients do it: in waves of random size and concurrency, some sent
/// again after a timeout or an error, some sent twice after an answer, and some whose connection drops at a random
/// moment of the request (and who may or may not ask again). Whatever the server did with the requests it could not
/// answer, every clinic is numbered exactly 1..n, nobody waits twice, and every 200 names the ticket the patient holds.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ChaoticEnterEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Patients = 10_000;

    [Fact]
    public async Task Ten_thousand_enters_with_random_concurrency_retries_and_dropped_connections_keep_every_clinic_exactly_1_to_n()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"Seed {seed} (set CHAOS_SEED to run the same plan again)");
        var clinics = new QueueOptions().ClinicList();
        Assert.Equal(16, clinics.Count);

        // Flood limits off: this test is about what the engine and the app make of the requests, and 10,000 enters in
        // well under a minute are far beyond a clinic's 20 a second (per instance) by design.
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?>
        {
            ["Queue:ConfirmTimeoutSeconds"] = "10",
            ["Limits:Enabled"] = "false",
        });
        using var http = host.NewHttp();
        var patients = Enumerable.Range(0, Patients).Select(i => new Patient($"X{i:00000}", clinics[i % clinics.Count], new Random(HashCode.Combine(seed, i)))).ToList();

        var clock = Stopwatch.StartNew();
        var waves = new Random(seed);
        var concurrencies = new List<int>();
        for (var next = 0; next < patients.Count;)
        {
            var wave = patients.Skip(next).Take(waves.Next(100, 1200)).ToList();
            var concurrency = waves.Next(8, 257);
            concurrencies.Add(concurrency);
            await Parallel.ForEachAsync(wave, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (patient, _) => await patient.VisitKioskAsync(http));
            next += wave.Count;
        }

        clock.Stop();
        var answers = patients.SelectMany(p => p.Answers).ToList();
        output.WriteLine(
            $"{Patients} patients over {clinics.Count} clinics in {concurrencies.Count} waves (concurrency {concurrencies.Min()}-{concurrencies.Max()}): {clock.Elapsed.TotalSeconds:0.0} s, " +
            $"{answers.Count} requests: {string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{Name(g.Key)} x{g.Count()}"))}; " +
            $"{patients.Count(p => p.Acknowledged is null)} patients left without an answer after a dropped connection");

        // Only answers the contract allows, and each patient's 200s all name one ticket, new to at most one of them.
        Assert.Empty(answers.Where(a => a.Status is not (200 or 503 or 504 or Answer.Dropped)).Select(a => $"{a.Status} {a.Body}"));
        foreach (var patient in patients)
        {
            var tickets = patient.Answers.Where(a => a.Status == 200).ToList();
            Assert.True(tickets.Select(a => a.Number).Distinct().Count() <= 1, $"{patient.User} was told {string.Join(", ", tickets.Select(a => a.Number))}");
            Assert.True(tickets.Count(a => !a.Existing) <= 1, $"{patient.User} was told twice that a ticket was new");
        }

        var lost = 0;
        var issued = 0;
        foreach (var clinic in clinics)
        {
            var stored = (await host.StoredStateAsync(clinic))!;
            var audit = ClinicAudit.OfState(
                clinic,
                stored,
                patients.Where(p => p.Clinic == clinic && p.Acknowledged is not null).Select(p => (p.User, p.Acknowledged.GetValueOrDefault())));
            Assert.Empty(audit.Findings);
            lost += audit.Lost;
            issued += stored.LastNumber;
        }

        output.WriteLine($"{issued} tickets issued for {patients.Count(p => p.Acknowledged is not null)} acknowledged patients; tickets lost: {lost}");
        Assert.Equal(0, lost);
        Assert.InRange(issued, patients.Count(p => p.Acknowledged is not null), Patients);
    }

    private static string Name(int status) => status == Answer.Dropped ? "dropped" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Answer(int Status, int Number, bool Existing, string Body)
    {
        /// <summary>The client dropped the connection before the answer.</summary>
        public const int Dropped = -1;
    }

    /// <summary>One patient at a kiosk, with a plan of their own drawn from <paramref name="random"/>.</summary>
    private sealed class Patient(string user, string clinic, Random random)
    {
        private const int MaxTries = 6;

        public string User => user;

        public string Clinic => clinic;

        public ConcurrentQueue<Answer> Answers { get; } = new();

        /// <summary>The number from the first 200, if any.</summary>
        public int? Acknowledged => Answers.FirstOrDefault(a => a.Status == 200)?.Number;

        public async Task VisitKioskAsync(HttpClient http)
        {
            for (var tries = 0; tries < MaxTries; tries++)
            {
                // One in eight requests loses its connection at a random moment: before, while or after the server works on it.
                var dropAfter = random.Next(8) == 0 ? TimeSpan.FromMilliseconds(random.Next(0, 400)) : (TimeSpan?)null;
                var answer = await SendAsync(http, dropAfter);
                Answers.Enqueue(answer);
                switch (answer.Status)
                {
                    case 200:
                        // One in twenty taps again after the answer (a double tap, or a phone that did not show it).
                        if (random.Next(20) == 0)
                        {
                            Answers.Enqueue(await SendAsync(http, null));
                        }

                        return;
                    case Answer.Dropped when random.Next(4) == 0:
                        // Walked away: whether the ticket was taken is for the queue to keep consistent.
                        return;
                }
            }
        }

        private async Task<Answer> SendAsync(HttpClient http, TimeSpan? dropAfter)
        {
            using var drop = new CancellationTokenSource();
            if (dropAfter is { } after)
            {
                drop.CancelAfter(after);
            }

            try
            {
                using var response = await http.PostAsJsonAsync("api/v1/queue/enter", new { clinic, user }, drop.Token);
                var text = await response.Content.ReadAsStringAsync(drop.Token);
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    return new Answer((int)response.StatusCode, 0, false, text);
                }

                var body = JsonDocument.Parse(text).RootElement;
                return new Answer(200, body.GetProperty("number").GetInt32(), body.GetProperty("existing").GetBoolean(), text);
            }
            catch (OperationCanceledException) when (drop.IsCancellationRequested)
            {
                return new Answer(Answer.Dropped, 0, false, "");
            }
        }
    }
}
