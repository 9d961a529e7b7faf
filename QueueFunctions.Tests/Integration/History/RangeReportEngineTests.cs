using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.Configuration;
using QueueFunctions.History;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.History;

/// <summary>
/// The range report on the real app (Durable Task engine, Azurite, the queue trigger writing the history): days of
/// traffic with a controlled clock, read back as one range, and what a month's report of the centre costs in storage requests.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RangeReportEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly DateOnly FirstDay = new(2026, 11, 26);

    /// <summary>
    /// Patients per service day and clinic: busy days and quiet ones, so that weighting by tickets differs from
    /// averaging the days; a day without any at one clinic; no-shows; today's last patient still waiting.
    /// </summary>
    private static readonly Session[] Sessions =
    [
        new(0, 0, Patients: 2),
        new(0, 1, Patients: 5, NoShow: 3),
        new(1, 0, Patients: 6, NoShow: 2),
        new(2, 0, Patients: 1),
        new(2, 1, Patients: 3),
        new(3, 0, Patients: 3, LastWaits: true),
        new(3, 1, Patients: 2),
    ];

    [Fact]
    public async Task A_range_of_days_is_each_days_daily_report_and_its_totals_weigh_every_ticket_of_the_range()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string[] clinics = [$"range-a-{suffix}", $"range-b-{suffix}"];
        var time = new FakeTimeProvider(At(FirstDay, 7, 0));
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), time, new FixedPins(Clinic.Pin), new Dictionary<string, string?> { ["Queue:Clinics"] = "" });
        using var http = host.NewHttp();

        var tickets = new List<ModelTicket>();
        foreach (var session in Sessions)
        {
            tickets.AddRange(await RunAsync(http, time, clinics[session.Clinic], session));
        }

        var lastDay = FirstDay.AddDays(Sessions.Max(s => s.Day));
        var query = $"api/v1/reports/range?from={FirstDay:yyyy-MM-dd}&to={lastDay:yyyy-MM-dd}";
        var expected = clinics.Select(c => Totals(c, tickets.Where(t => t.Clinic == c).ToList())).ToList();
        var range = await Eventually.UntilAsync(
            () => http.GetJsonAsync(query, staff: true),
            r => r.Status == 200 && expected.All(e => TotalsOf(r.Body).GetValueOrDefault(e.Clinic) is { } got && (got.Issued, got.Done, got.NoShow) == (e.Issued, e.Done, e.NoShow)),
            Patience,
            "every event of the range in the history");

        Assert.Equal((FirstDay.ToString("yyyy-MM-dd"), lastDay.ToString("yyyy-MM-dd"), "Asia/Qatar"), (range.Body.GetProperty("from").GetString(), range.Body.GetProperty("to").GetString(), range.Body.GetProperty("timezone").GetString()));
        var days = range.Body.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, lastDay.DayNumber - FirstDay.DayNumber + 1).Select(d => FirstDay.AddDays(d).ToString("yyyy-MM-dd")), days.Select(d => d.GetProperty("date").GetString()));
        foreach (var day in days)
        {
            var daily = await http.GetJsonAsync($"api/v1/reports/daily?date={day.GetProperty("date").GetString()}", staff: true);
            Assert.Equal(200, daily.Status);
            Assert.Equal(daily.Body.GetProperty("clinics").GetRawText(), day.GetProperty("clinics").GetRawText());
        }

        // The day without patients at the second clinic lists only the first, as that day's daily report does.
        Assert.Equal([clinics[0]], days[1].GetProperty("clinics").EnumerateArray().Select(c => c.GetProperty("clinic").GetString()));

        foreach (var want in expected)
        {
            var got = TotalsOf(range.Body)[want.Clinic];
            output.WriteLine($"{want.Clinic}: {JsonSerializer.Serialize(got)}");
            Assert.Equal(JsonSerializer.Serialize(want), JsonSerializer.Serialize(got));
        }

        // The scenario does tell weighting apart: the plain mean of the first clinic's daily averages is another figure.
        var dailyAverages = days.SelectMany(d => d.GetProperty("clinics").EnumerateArray())
            .Where(c => c.GetProperty("clinic").GetString() == clinics[0])
            .Select(c => c.GetProperty("avgWaitMinutes").GetDouble())
            .ToList();
        Assert.NotEqual(Math.Round(dailyAverages.Average(), 1, MidpointRounding.AwayFromZero), expected[0].AvgWaitMinutes);

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, query + "&format=csv");
        csvRequest.Headers.Add("x-functions-key", QueueAppHost.StaffKey);
        using var csvResponse = await http.SendAsync(csvRequest);
        Assert.Equal("text/csv; charset=utf-8", csvResponse.Content.Headers.ContentType!.ToString());
        Assert.Equal($"queue-report-{FirstDay:yyyy-MM-dd}_{lastDay:yyyy-MM-dd}.csv", csvResponse.Content.Headers.ContentDisposition!.FileName);
        var csv = await csvResponse.Content.ReadAsByteArrayAsync();
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        Assert.Equal(1 + days.Sum(d => d.GetProperty("clinics").GetArrayLength()) + clinics.Length, lines.Length);
        Assert.Equal(
            expected.Select(e => $"{FirstDay:yyyy-MM-dd}/{lastDay:yyyy-MM-dd},{e.Clinic},{e.Clinic},{e.Issued},{e.Done},{e.NoShow},{e.StillWaiting},"),
            lines[^clinics.Length..].Select(l => string.Join(',', l.Split(',')[..7]) + ","));
    }

    [Fact]
    public async Task A_30_day_report_of_16_clinics_costs_one_table_request_per_1000_rows_of_each_day()
    {
        // 30 days ending on the clock's service day, 100-150 tickets a clinic a day (about the centre's 2,000 a day).
        var today = new DateOnly(2026, 11, 30);
        var time = new FakeTimeProvider(At(today, 12, 0));
        var table = "r" + Guid.NewGuid().ToString("N")[..12];
        var clinics = QueueOptions.DefaultClinics.Split(',');
        var days = Enumerable.Range(0, 30).Select(d => today.AddDays(d - 29)).ToList();
        var random = new Random(20261130);
        var seeded = days.SelectMany(day => clinics.Select(clinic => (Day: day, Clinic: clinic, Tickets: random.Next(100, 151)))).ToList();
        var seeding = Stopwatch.StartNew();
        await SeedAsync(new TableServiceClient(azurite.ConnectionString).GetTableClient(table), seeded);
        output.WriteLine($"Seeded {seeded.Sum(s => s.Tickets)} rows over {days.Count} days and {clinics.Length} clinics in {seeding.Elapsed.TotalSeconds:0.0} s");

        var counted = new CountedStorageRequests();
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(),
            time,
            settings: new Dictionary<string, string?>
            {
                ["History:TableName"] = table,
                // Nothing but the report may use the history table while its requests are counted.
                [$"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled"] = "true",
                [$"AzureWebJobs.{ReplayPoisonQueueEventsFunction.Name}.Disabled"] = "true",
                [$"AzureWebJobs.{CleanUpHistoryFunction.Name}.Disabled"] = "true",
            },
            history: services => new HistoryTable(
                new TableServiceClient(azurite.ConnectionString, counted.AddTo(new TableClientOptions())),
                services.GetRequiredService<IOptions<HistoryOptions>>(),
                services.GetRequiredService<ILogger<HistoryTable>>()));
        using var http = host.NewHttp();
        var query = $"api/v1/reports/range?from={days[0]:yyyy-MM-dd}&to={today:yyyy-MM-dd}";

        // A day's query costs one request per page of 1,000 rows, and the first read of an app instance one check for the table.
        var pages = seeded.GroupBy(s => s.Day).Sum(day => (day.Sum(s => s.Tickets) + 999) / 1000);
        var cold = await CountAsync(http, counted, query);
        var warm = await CountAsync(http, counted, query);
        var csv = await CountAsync(http, counted, query + "&format=csv");
        var oneClinic = await CountAsync(http, counted, query + "&clinic=lab");

        Report($"30-day range report, 16 clinics, {seeded.Sum(s => s.Tickets)} rows: {cold.Requests} table requests on an instance's first report ({cold.Took.TotalMilliseconds:0} ms), " +
               $"{warm.Requests} after ({warm.Took.TotalMilliseconds:0} ms; as CSV {csv.Requests}, {csv.Took.TotalMilliseconds:0} ms); one clinic: {oneClinic.Requests} ({oneClinic.Took.TotalMilliseconds:0} ms)");
        Assert.Equal(clinics, TotalsOf(warm.Body).Keys);
        Assert.All(clinics, c => Assert.Equal(seeded.Where(s => s.Clinic == c).Sum(s => s.Tickets), TotalsOf(warm.Body)[c].Issued));
        Assert.Equal((pages + 1, pages, pages, days.Count), (cold.Requests, warm.Requests, csv.Requests, oneClinic.Requests));
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static async Task<(long Requests, TimeSpan Took, JsonElement Body)> CountAsync(HttpClient http, CountedStorageRequests counted, string query)
    {
        var before = counted.Sent;
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        request.Headers.Add("x-functions-key", QueueAppHost.StaffKey);
        using var response = await http.SendAsync(request);
        var took = clock.Elapsed;
        Assert.Equal(200, (int)response.StatusCode);
        var body = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone()
            : default;
        return (counted.Sent - before, took, body);
    }

    /// <summary>Rows as the recorder writes them, a transaction of up to 100 per partition: most done, some no-shows, a few waiting.</summary>
    private static async Task SeedAsync(TableClient table, IEnumerable<(DateOnly Day, string Clinic, int Tickets)> seeded)
    {
        await table.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(seeded, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (clinicDay, cancel) =>
        {
            var partition = HistoryKeys.Partition(clinicDay.Day, clinicDay.Clinic);
            var rows = Enumerable.Range(1, clinicDay.Tickets).Select(number =>
            {
                var issued = At(clinicDay.Day, 7, 0).AddMinutes(number * 3);
                var row = new TableEntity(partition, HistoryKeys.Ticket(0, number))
                {
                    ["Round"] = 0,
                    ["Number"] = number,
                    ["User"] = (10_000_000 + number).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["IssuedAt"] = issued,
                };
                var column = (number % 20) switch { 0 => "NoShowAt", 19 => null, _ => "DoneAt" };
                if (column is not null)
                {
                    row[column] = issued.AddMinutes(10 + (number % 7));
                }

                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
            });
            foreach (var batch in rows.Chunk(100))
            {
                await table.SubmitTransactionAsync(batch, cancel);
            }
        });
    }

    /// <summary>One clinic's patients on one day: entered a minute apart, then seen in order; the day's <c>Clinic</c>-th session.</summary>
    private sealed record Session(int Day, int Clinic, int Patients, int NoShow = 0, bool LastWaits = false);

    /// <summary>What the test itself knows of a ticket: when it was taken, reached the front, and left.</summary>
    private sealed record ModelTicket(string Clinic, DateTimeOffset Issued, DateTimeOffset? Current, DateTimeOffset? Left, bool Done, bool NoShow);

    private static DateTimeOffset At(DateOnly day, int hour, int minute) => new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(3));

    /// <summary>Runs one session through the API, each step at its own moment of the controlled clock, and notes what it did.</summary>
    private static async Task<List<ModelTicket>> RunAsync(HttpClient http, FakeTimeProvider time, string clinic, Session session)
    {
        var day = FirstDay.AddDays(session.Day);
        time.SetUtcNow(At(day, 8 + (2 * session.Clinic), 0));
        var issued = new List<DateTimeOffset>();
        for (var k = 1; k <= session.Patients; k++)
        {
            if (k > 1)
            {
                time.Advance(TimeSpan.FromMinutes(1));
            }

            var (status, body) = await http.EnterAsync(clinic, UserOf(session, k));
            Assert.Equal((200, k), (status, body.GetProperty("number").GetInt32()));
            issued.Add(time.GetUtcNow());
        }

        // The first patient is at the front from the moment they enter; each next one once the one before has left.
        var tickets = new List<ModelTicket>();
        var front = issued[0];
        for (var k = 1; k <= session.Patients; k++)
        {
            var current = front > issued[k - 1] ? front : issued[k - 1];
            if (session.LastWaits && k == session.Patients)
            {
                tickets.Add(new ModelTicket(clinic, issued[k - 1], current, null, Done: false, NoShow: false));
                break;
            }

            time.Advance(TimeSpan.FromMinutes(2 + (((k * 7) + (session.Day * 3) + (session.Clinic * 5)) % 9)));
            var noShow = k == session.NoShow;
            var (status, _) = noShow
                ? await http.PostAsync("api/v1/queue/call", new { clinic }, staff: true)
                : await http.PostAsync("api/v1/queue/done", new { clinic, user = UserOf(session, k), pin = Clinic.Pin });
            Assert.Equal(200, status);
            front = time.GetUtcNow();
            tickets.Add(new ModelTicket(clinic, issued[k - 1], current, front, Done: !noShow, NoShow: noShow));
        }

        return tickets;
    }

    private static string UserOf(Session session, int patient) => $"R{session.Day}{session.Clinic}{patient:D2}";

    /// <summary>The clinic's totals worked out from the test's own tickets: every wait and service time of the range pooled.</summary>
    private static ClinicDailyFigures Totals(string clinic, IReadOnlyList<ModelTicket> tickets)
    {
        double? Round(IReadOnlyCollection<double> minutes) => minutes.Count == 0 ? null : Math.Round(minutes.Average(), 1, MidpointRounding.AwayFromZero);
        int HourOf(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Clinic.Qatar).Hour;

        var waits = tickets.Where(t => t.Current is not null).Select(t => (Hour: HourOf(t.Issued), Minutes: (t.Current!.Value - t.Issued).TotalMinutes)).ToList();
        var services = tickets.Where(t => t.Done).Select(t => (t.Left!.Value - t.Current!.Value).TotalMinutes).ToList();
        var sorted = waits.Select(w => w.Minutes).Order().ToList();
        return new ClinicDailyFigures(
            clinic,
            clinic,
            tickets.Count,
            tickets.Count(t => t.Done),
            tickets.Count(t => t.NoShow),
            tickets.Count(t => t.Left is null),
            0,
            Round(sorted),
            sorted.Count == 0 ? null : Math.Round(sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1], 1, MidpointRounding.AwayFromZero),
            Round(services),
            Enumerable.Range(0, 24).Select(h => tickets.Count(t => HourOf(t.Issued) == h)).ToList(),
            Enumerable.Range(0, 24).Select(h => Round(waits.Where(w => w.Hour == h).Select(w => w.Minutes).ToList())).ToList());
    }

    private static Dictionary<string, ClinicDailyFigures> TotalsOf(JsonElement report) =>
        report.GetProperty("totals").Deserialize<List<ClinicDailyFigures>>()!.ToDictionary(f => f.Clinic);
}
