using System.Text.Json;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Contract;

/// <summary>
/// The queue's and the staff's endpoints on the real app (Durable Task engine, Azurite, real HTTP): each success and
/// its main refusals, every reply held to docs/openapi.json.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class QueueContractEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Enter = "/api/v1/queue/enter";
    private const string Status = "/api/v1/queue/status";
    private const string Done = "/api/v1/queue/done";
    private const string Call = "/api/v1/queue/call";
    private const string Reset = "/api/v1/queue/reset";
    private const string Tickets = "/api/v1/queue/tickets";
    private const string Pins = "/api/v1/pin/status";
    private const string Report = "/api/v1/reports/daily";
    private const string Range = "/api/v1/reports/range";
    private const string Overview = "/api/v1/overview";
    private const string OverviewStream = "/api/v1/overview/stream";

    /// <summary>Keys of this run only: the replies table outlives a host on the shared Azurite.</summary>
    private static readonly string Run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Queue_and_staff_replies_are_the_documented_ones()
    {
        // Small limits so a short burst at one clinic meets both the waiting cap and the flood limit.
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?>
        {
            ["Queue:MaxWaiting"] = "4",
            ["Limits:EnterBurst"] = "10",
            ["Limits:EnterPerSecond"] = "1",
        });
        using var http = host.NewHttp();
        var api = new ContractClient(http, ReplyValidator.ForContract);

        var pin = await PinsAsync(api);
        await EnterAsync(api);
        await StatusAsync(api);
        await DoneAsync(api, pin);
        await CallAsync(api);
        await TicketsAndReportAsync(api);
        await RangeReportAsync(api);
        await OverviewAsync(api, host.NewHttp());
        await FullAndFloodedAsync(api);
        await ResetAsync(api);

        output.WriteLine($"{api.Seen.Count} operation/status pairs checked:\n{string.Join('\n', api.Seen.Order(StringComparer.Ordinal))}");
        Assert.True(api.Problems.Count == 0, $"{api.Problems.Count} replies depart from docs/openapi.json:\n{string.Join('\n', api.Problems)}");
    }

    private static string Body(object value) => JsonSerializer.Serialize(value);

    private static async Task<string> PinsAsync(ContractClient api)
    {
        await api.GetAsync(401, Pins);
        await api.GetAsync(200, Pins, $"code={QueueAppHost.StaffKey}");
        var pins = (await api.GetAsync(200, Pins, staff: true)).Json.GetProperty("pins");
        return pins.GetProperty("lab").GetString()!;
    }

    private static async Task EnterAsync(ContractClient api)
    {
        var a = Body(new { clinic = "lab", user = "A" });
        var first = await api.PostAsync(200, Enter, a, idempotencyKey: $"enter-a-{Run}");
        var retried = await api.PostAsync(200, Enter, a, idempotencyKey: $"enter-a-{Run}");
        Assert.Equal(("true", first.Text), (retried.Header("Idempotent-Replayed"), retried.Text));
        await api.PostAsync(422, Enter, Body(new { clinic = "lab", user = "B" }), idempotencyKey: $"enter-a-{Run}");
        await api.PostAsync(400, Enter, a, idempotencyKey: "two words");

        Assert.True((await api.PostAsync(200, Enter, a)).Json.GetProperty("existing").GetBoolean());
        await api.PostAsync(200, Enter, Body(new { clinic = "lab", user = "B" }));
        await api.PostAsync(200, Enter, Body(new { clinic = "lab", user = "C" }), contentType: null);

        await api.PostAsync(400, Enter, """{"clinic":"lab","user":""");
        await api.PostAsync(400, Enter, Body(new { clinic = "lab" }));
        await api.PostAsync(400, Enter, Body(new { clinic = "l a b", user = "A" }));
        await api.PostAsync(400, Enter, """{"clinic":"lab","user":7}""");
        await api.PostAsync(404, Enter, Body(new { clinic = "nowhere", user = "A" }));
        await api.PostAsync(415, Enter, a, contentType: "text/plain");
        await api.PostAsync(413, Enter, Body(new { clinic = "lab", user = new string('x', 5000) }));
    }

    private static async Task StatusAsync(ContractClient api)
    {
        Assert.Equal(3, (await api.GetAsync(200, Status, "clinic=lab")).Json.GetProperty("waiting").GetInt32());
        Assert.Equal(1, (await api.GetAsync(200, Status, "clinic=LAB&user=A")).Json.GetProperty("you").GetProperty("number").GetInt32());
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync(200, Status, "clinic=lab&user=NOBODY")).Json.GetProperty("you").ValueKind);
        await api.GetAsync(400, Status);
        await api.GetAsync(400, Status, "clinic=lab&clinic=xray");
        await api.GetAsync(400, Status, "clinic=lab&user=%E2%80%AE12");
        await api.GetAsync(404, Status, "clinic=nowhere");
    }

    private static async Task DoneAsync(ContractClient api, string pin)
    {
        var wrong = pin[..^1] + (char)('0' + ((pin[^1] - '0' + 1) % 10));
        await api.PostAsync(400, Done, Body(new { clinic = "lab", user = "A", pin = "12" }));
        await api.PostAsync(400, Done, Body(new { clinic = "lab", user = "A" }));
        await api.PostAsync(404, Done, Body(new { clinic = "lab", user = "NOBODY", pin }));
        await api.PostAsync(403, Done, Body(new { clinic = "lab", user = "A", pin = wrong }));

        var done = await api.PostAsync(200, Done, Body(new { clinic = "lab", user = "A", pin }), idempotencyKey: $"done-a-{Run}");
        Assert.False(done.Json.GetProperty("next_clinic_unlocked").GetBoolean());
        Assert.Equal(done.Text, (await api.PostAsync(200, Done, Body(new { clinic = "lab", user = "A", pin }))).Text);

        // Wrong PINs up to the limit are refused as wrong; the next attempt, even with the right PIN, finds the lock.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await api.PostAsync(403, Done, Body(new { clinic = "lab", user = "C", pin = wrong }));
        }

        await api.PostAsync(429, Done, Body(new { clinic = "lab", user = "C", pin }));
    }

    private static async Task CallAsync(ContractClient api)
    {
        await api.PostAsync(401, Call, Body(new { clinic = "lab" }));
        var call = await api.PostAsync(200, Call, Body(new { clinic = "lab", number = 2 }), staff: true, idempotencyKey: $"call-2-{Run}");
        Assert.Equal((2, 3), (call.Json.GetProperty("skipped").GetInt32(), call.Json.GetProperty("number").GetInt32()));
        Assert.Equal("true", (await api.PostAsync(200, Call, Body(new { clinic = "lab", number = 2 }), staff: true, idempotencyKey: $"call-2-{Run}")).Header("Idempotent-Replayed"));
        Assert.Equal(call.Text, (await api.PostAsync(200, Call, Body(new { clinic = "lab", number = 2 }), staff: true)).Text);

        var stale = await api.PostAsync(409, Call, Body(new { clinic = "lab", number = 1 }), staff: true);
        Assert.Equal(3, stale.Json.GetProperty("current").GetInt32());
        await api.PostAsync(400, Call, Body(new { clinic = "lab", number = "two" }), staff: true);
        await api.PostAsync(404, Call, Body(new { clinic = "bones" }), staff: true);
    }

    private static async Task TicketsAndReportAsync(ContractClient api)
    {
        await api.GetAsync(401, Tickets, "clinic=lab");
        Assert.Equal(3, (await api.GetAsync(200, Tickets, "clinic=lab", staff: true)).Json.GetProperty("tickets").GetArrayLength());
        await api.GetAsync(400, Tickets, staff: true);
        await api.GetAsync(404, Tickets, "clinic=nowhere", staff: true);

        await api.GetAsync(401, Report);
        Assert.NotEqual(0, (await api.GetAsync(200, Report, staff: true)).Json.GetProperty("clinics").GetArrayLength());
        await api.GetAsync(200, Report, "clinic=lab&format=CSV", staff: true);
        await api.GetAsync(400, Report, "date=29-11-2026", staff: true);
        await api.GetAsync(400, Report, "date=2999-01-01", staff: true);
        await api.GetAsync(400, Report, "format=xml", staff: true);
        await api.GetAsync(404, Report, "clinic=nowhere", staff: true);
    }

    /// <summary>The last three service days as one range, as JSON and CSV, and each way a range is refused.</summary>
    private static async Task RangeReportAsync(ContractClient api)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var today = DateOnly.ParseExact((await api.GetAsync(200, Report, "clinic=lab", staff: true)).Json.GetProperty("date").GetString()!, "yyyy-MM-dd", invariant);
        string Day(int daysAgo) => today.AddDays(-daysAgo).ToString("yyyy-MM-dd", invariant);
        var threeDays = $"from={Day(2)}&to={Day(0)}";

        await api.GetAsync(401, Range, threeDays);
        var range = await api.GetAsync(200, Range, threeDays, staff: true);
        Assert.Equal(3, range.Json.GetProperty("days").GetArrayLength());
        Assert.Equal(16, range.Json.GetProperty("totals").GetArrayLength());
        await api.GetAsync(200, Range, threeDays + "&clinic=LAB&format=csv", staff: true);

        (string Query, int Status, string Code)[] refused =
        [
            ($"to={Day(0)}", 400, "MISSING_FIELD"),
            ($"from=29-11-2026&to={Day(0)}", 400, "INVALID_DATE"),
            ($"from={Day(0)}&to={Day(2)}", 400, "INVALID_RANGE"),
            ($"from={Day(0)}&to={Day(-1)}", 400, "INVALID_RANGE"),
            ($"from={Day(92)}&to={Day(0)}", 400, "INVALID_RANGE"),
            (threeDays + "&format=xml", 400, "INVALID_FORMAT"),
            (threeDays + "&clinic=l%20a%20b", 400, "INVALID_CLINIC"),
            (threeDays + "&clinic=nowhere", 404, "UNKNOWN_CLINIC"),
        ];
        foreach (var (query, status, code) in refused)
        {
            Assert.Equal(code, (await api.GetAsync(status, Range, query, staff: true)).Json.GetProperty("code").GetString());
        }
    }

    /// <summary>The overview's snapshot, and its stream's opening and a clinic's change, each held to the document.</summary>
    private static async Task OverviewAsync(ContractClient api, HttpClient staff)
    {
        using var _ = staff;
        await api.GetAsync(401, Overview);
        var overview = await api.GetAsync(200, Overview, staff: true);
        Assert.Equal(16, overview.Json.GetProperty("clinics").GetArrayLength());
        await api.GetAsync(401, OverviewStream);

        staff.DefaultRequestHeaders.Add("x-functions-key", QueueAppHost.StaffKey);
        await using var stream = await EventStreamOpening.OpenAsync(staff, OverviewStream);
        await stream.ReadAsync(data => data.Count >= 2, TimeSpan.FromSeconds(30));
        await api.PostAsync(200, Enter, Body(new { clinic = "xray", user = "O1" }));
        api.Check(200, "GET", OverviewStream, await stream.ReadAsync(data => data.Any(d => d.Contains("CLINIC_UPDATE", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)));
        api.CheckEventData(OverviewStream, stream.Data);
    }

    /// <summary>Sixteen patients at once at a clinic that holds 4 and lets 10 in at a time: tickets, QUEUE_FULL and RATE_LIMITED.</summary>
    private static async Task FullAndFloodedAsync(ContractClient api)
    {
        var replies = await Task.WhenAll(Enumerable.Range(1, 16).Select(i => api.PostAsync(null, Enter, Body(new { clinic = "surgery", user = $"F{i}" }))));

        var statuses = replies.Select(r => r.Status).ToList();
        Assert.Equal(4, statuses.Count(s => s == 200));
        Assert.Contains(409, statuses);
        Assert.Contains(429, statuses);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 409, 429 }));
        Assert.All(replies.Where(r => r.Status == 429), r => Assert.NotNull(r.Header("Retry-After")));
    }

    private static async Task ResetAsync(ContractClient api)
    {
        await api.PostAsync(401, Reset, Body(new { clinic = "lab" }));
        var reset = await api.PostAsync(200, Reset, Body(new { clinic = "lab" }), staff: true, idempotencyKey: $"reset-{Run}");
        Assert.Equal(reset.Text, (await api.PostAsync(200, Reset, Body(new { clinic = "lab" }), staff: true, idempotencyKey: $"reset-{Run}")).Text);
        await api.PostAsync(400, Reset, """{"clinic":5}""", staff: true);
        await api.PostAsync(404, Reset, Body(new { clinic = "nowhere" }), staff: true);
        Assert.Equal(0, (await api.GetAsync(200, Status, "clinic=lab")).Json.GetProperty("length").GetInt32());
    }
}
