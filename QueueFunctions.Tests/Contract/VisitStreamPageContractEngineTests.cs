using System.Text.Json;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Contract;

/// <summary>
/// Visits, event streams, the screens and their files, and the served document itself, on the real app: each success
/// and its main refusals, every reply (and every stream message read) held to docs/openapi.json.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class VisitStreamPageContractEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Visits = "/api/v1/visits";
    private const string Enter = "/api/v1/queue/enter";
    private const string Done = "/api/v1/queue/done";
    private const string Stream = "/api/v1/events/stream";
    private static readonly TimeSpan StreamWait = TimeSpan.FromSeconds(30);

    private static readonly string Run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Visit_stream_and_page_replies_are_the_documented_ones()
    {
        // One stream per clinic, so a second stream on a clinic meets the flood limit; every other stream here has a clinic of its own.
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?>
        {
            ["Limits:StreamsPerClinic"] = "1",
        });
        using var http = host.NewHttp();
        var api = new ContractClient(http, ReplyValidator.ForContract);

        await PagesAsync(api);
        var pins = (await api.GetAsync(200, "/api/v1/pin/status", staff: true)).Json.GetProperty("pins");
        await VisitAsync(api, pins);
        var lastClinic = await VisitToItsEndAsync(api, pins);
        await using var streams = new StreamSet();
        await StreamsAsync(http, api, streams, lastClinic);
        var served = await api.GetAsync(200, "/api/v1/openapi.json");

        output.WriteLine($"{api.Seen.Count} operation/status pairs checked:\n{string.Join('\n', api.Seen.Order(StringComparer.Ordinal))}");
        Assert.True(api.Problems.Count == 0, $"{api.Problems.Count} replies depart from docs/openapi.json:\n{string.Join('\n', api.Problems)}");
        Assert.Equal(await File.ReadAllBytesAsync(ContractDocument.PathOnDisk), served.Body);
    }

    private static string Body(object value) => JsonSerializer.Serialize(value);

    private static async Task PagesAsync(ContractClient api)
    {
        await api.GetAsync(200, "/kiosk");
        await api.GetAsync(200, "/ticket", "user=12345678");
        await api.GetAsync(200, "/display", "clinic=lab,xray");
        await api.GetAsync(200, "/clinic", "clinic=lab");
        await api.GetAsync(200, "/overview");
        foreach (var file in new[] { "app.css", "common.js", "cairo-latin-400-normal.woff2", "Cairo-OFL.txt" })
        {
            await api.GetAsync(200, "/assets/{name}", target: "/assets/" + file);
        }

        await api.GetAsync(404, "/assets/{name}", target: "/assets/missing.css");
        await api.GetAsync(200, "/qr", "user=12345678");
        await api.GetAsync(400, "/qr");
    }

    private static async Task VisitAsync(ContractClient api, JsonElement pins)
    {
        var start = Body(new { user = "V1", exam = "recruitment", gender = "male" });
        var started = await api.PostAsync(200, Visits, start, idempotencyKey: $"visit-v1-{Run}");
        Assert.Equal("lab", started.Json.GetProperty("current").GetProperty("clinic").GetString());
        Assert.Equal("true", (await api.PostAsync(200, Visits, start, idempotencyKey: $"visit-v1-{Run}")).Header("Idempotent-Replayed"));
        Assert.True((await api.PostAsync(200, Visits, start)).Json.GetProperty("existing").GetBoolean());
        await api.PostAsync(409, Visits, Body(new { user = "V1", exam = "aviation", gender = "male" }));
        await api.PostAsync(400, Visits, Body(new { user = "V9", exam = "astronaut", gender = "male" }));
        await api.PostAsync(400, Visits, Body(new { user = "V9", exam = "aviation", gender = "other" }));
        await api.PostAsync(400, Visits, Body(new { user = "V9", gender = "male" }));
        await api.PostAsync(422, Visits, Body(new { user = "V1", exam = "aviation", gender = "male" }), idempotencyKey: $"visit-v1-{Run}");

        await api.GetAsync(200, Visits, "user=V1");
        await api.GetAsync(404, Visits, "user=NOBODY");
        await api.GetAsync(400, Visits);

        await api.PostAsync(409, Enter, Body(new { clinic = "xray", user = "V1" }));
        var done = await api.PostAsync(200, Done, Body(new { clinic = "lab", user = "V1", pin = pins.GetProperty("lab").GetString() }));
        Assert.Equal("xray", done.Json.GetProperty("next_clinic").GetString());
    }

    /// <summary>A four-clinic exam walked to its end: the last done completes the visit.</summary>
    /// <returns>The visit's last clinic.</returns>
    private static async Task<string> VisitToItsEndAsync(ContractClient api, JsonElement pins)
    {
        var visit = await api.PostAsync(200, Visits, Body(new { user = "V2", exam = "cooks", gender = "male" }));
        var clinic = visit.Json.GetProperty("current").GetProperty("clinic").GetString()!;
        for (var step = 0; step < visit.Json.GetProperty("steps").GetArrayLength(); step++)
        {
            var done = (await api.PostAsync(200, Done, Body(new { clinic, user = "V2", pin = pins.GetProperty(clinic).GetString() }))).Json;
            if (done.TryGetProperty("visit_complete", out _))
            {
                break;
            }

            clinic = done.GetProperty("next_clinic").GetString()!;
        }

        var ended = (await api.GetAsync(200, Visits, "user=V2")).Json;
        Assert.Equal(("COMPLETE", JsonValueKind.Null), (ended.GetProperty("status").GetString(), ended.GetProperty("current").ValueKind));
        return clinic;
    }

    private static async Task StreamsAsync(HttpClient http, ContractClient api, StreamSet streams, string lastClinic)
    {
        await api.PostAsync(200, Enter, Body(new { clinic = "dental", user = "P1" }));

        // A board: CONNECTED, then each clinic's state.
        await OpenAsync(http, api, streams, "clinic=bones,ecg", data => data.Count >= 3);
        var messages = new Dictionary<string, string>
        {
            ["clinic=dental&user=P1"] = "YOUR_TURN",
            ["clinic=psychiatry&user=NOBODY"] = "NOT_IN_QUEUE",
            ["clinic=lab&user=V1"] = "STEP_DONE_NEXT",
            [$"clinic={lastClinic}&user=V2"] = "VISIT_COMPLETE",
        };
        foreach (var (query, type) in messages)
        {
            var data = await OpenAsync(http, api, streams, query, data => data.Count >= 2);
            Assert.Equal(type, JsonDocument.Parse(data[1]).RootElement.GetProperty("type").GetString());
        }

        await OpenAsync(http, api, streams, "clinic=audio", data => data.Count >= 2);
        await OpenAsync(http, api, streams, "clinic=audio", _ => true, expected: 429);
        await OpenAsync(http, api, streams, string.Empty, _ => true, expected: 400);
        await OpenAsync(http, api, streams, "clinic=lab,xray&user=V1", _ => true, expected: 400);
        await OpenAsync(http, api, streams, "clinic=nowhere", _ => true, expected: 404);
    }

    /// <summary>Opens a stream, reads its opening, checks it, and keeps it open (its place on the clinic held) until the test ends.</summary>
    private static async Task<IReadOnlyList<string>> OpenAsync(
        HttpClient http, ContractClient api, StreamSet streams, string query, Func<IReadOnlyList<string>, bool> enough, int expected = 200)
    {
        var stream = await streams.OpenAsync(http, Stream + (query.Length > 0 ? "?" + query : string.Empty));
        api.Check(expected, "GET", Stream, await stream.ReadAsync(enough, StreamWait));
        api.CheckEventData(Stream, stream.Data);
        return stream.Data;
    }

    /// <summary>The streams a test opened, all closed when it ends.</summary>
    private sealed class StreamSet : IAsyncDisposable
    {
        private readonly List<EventStreamOpening> open = [];

        public async Task<EventStreamOpening> OpenAsync(HttpClient http, string target)
        {
            var stream = await EventStreamOpening.OpenAsync(http, target);
            open.Add(stream);
            return stream;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
