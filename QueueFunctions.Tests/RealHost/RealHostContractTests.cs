using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QueueFunctions.Tests.Support;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>The API's contract over real HTTP on the Azure Functions host, with the host's own keys.</summary>
[Collection(RealHostCollection.Name)]
public sealed class RealHostContractTests(RealHostFixture fixture, ITestOutputHelper output)
{
    const string Key = FunctionsHostInstance.FunctionKey;

    [RealHostFact]
    public async Task A_clinic_s_day_over_the_host_numbers_checks_the_pin_moves_on_and_refuses_what_the_contract_refuses()
    {
        using HttpClient http = fixture.Host.NewHttp();
        string clinic = "ent";
        Assert.Equal(401, (await http.PostReplyAsync("api/v1/queue/reset", new { clinic })).Status);
        Assert.Equal(401, (await http.PostReplyAsync("api/v1/queue/reset", new { clinic }, "wrong-key")).Status);
        RealHostHttp.Reply reset = await http.PostReplyAsync("api/v1/queue/reset", new { clinic }, Key);
        Assert.Equal(200, reset.Status);
        Assert.Equal("Counters reset", reset.Body.GetProperty("message").GetString());
        Assert.Equal(200, (await http.PostReplyAsync($"api/v1/queue/reset?code={FunctionsHostInstance.MasterKey}", new { clinic })).Status);

        RealHostHttp.Reply first = await http.EnterAsync(clinic, "RH_A");
        Assert.Equal(200, first.Status);
        Assert.Equal("application/json; charset=utf-8", first.Response.Content.Headers.ContentType?.ToString());
        Assert.Equal(1, first.Body.GetProperty("number").GetInt32());
        Assert.False(first.Body.GetProperty("existing").GetBoolean());
        RealHostHttp.Reply again = await http.EnterAsync(clinic, "rh_a");
        Assert.Equal((1, true), (again.Body.GetProperty("number").GetInt32(), again.Body.GetProperty("existing").GetBoolean()));
        Assert.Equal(2, (await http.EnterAsync(clinic, "RH_B")).Body.GetProperty("number").GetInt32());
        Assert.Equal(3, (await http.EnterAsync(clinic, "RH_C")).Body.GetProperty("number").GetInt32());

        RealHostHttp.Reply status = await http.GetReplyAsync($"api/v1/queue/status?clinic={clinic}&user=RH_B");
        Assert.Equal("no-cache", status.Response.Headers.CacheControl?.ToString());
        Assert.Equal((1, 3, 3), (status.Body.GetProperty("current").GetInt32(), status.Body.GetProperty("length").GetInt32(), status.Body.GetProperty("waiting").GetInt32()));
        Assert.Equal(1, status.Body.GetProperty("you").GetProperty("ahead").GetInt32());

        Assert.Equal(401, (await http.GetReplyAsync("api/v1/pin/status")).Status);
        string pin = await http.PinAsync(clinic);
        string wrong = pin == "0000" ? "1111" : "0000";
        RealHostHttp.Reply refused = await http.PostReplyAsync("api/v1/queue/done", new { clinic, user = "RH_A", pin = wrong });
        Assert.Equal((403, "INVALID_PIN"), (refused.Status, refused.Code));
        RealHostHttp.Reply done = await http.PostReplyAsync("api/v1/queue/done", new { clinic, user = "RH_A", pin });
        Assert.Equal(200, done.Status);
        Assert.Equal(("DONE", 2, false), (done.Body.GetProperty("status").GetString(), done.Body.GetProperty("current").GetInt32(), done.Body.GetProperty("next_clinic_unlocked").GetBoolean()));
        Assert.Equal(200, (await http.PostReplyAsync("api/v1/queue/done", new { clinic, user = "RH_A", pin })).Status);

        Assert.Equal(401, (await http.PostReplyAsync("api/v1/queue/call", new { clinic })).Status);
        RealHostHttp.Reply call = await http.PostReplyAsync("api/v1/queue/call", new { clinic }, Key);
        Assert.Equal((200, 2, 3), (call.Status, call.Body.GetProperty("skipped").GetInt32(), call.Body.GetProperty("number").GetInt32()));
        Assert.Equal(200, (await http.PostReplyAsync("api/v1/queue/call", new { clinic }, Key)).Status);
        Assert.Equal("QUEUE_EMPTY", (await http.PostReplyAsync("api/v1/queue/call", new { clinic }, Key)).Code);

        RealHostHttp.Reply tickets = await http.GetReplyAsync($"api/v1/queue/tickets?clinic={clinic}", Key);
        Assert.Equal(["DONE", "NO_SHOW", "NO_SHOW"], tickets.Body.GetProperty("tickets").EnumerateArray().OrderBy(t => t.GetProperty("number").GetInt32()).Select(t => t.GetProperty("status").GetString()));

        await AssertErrorAsync(http, Raw("api/v1/queue/enter", "{\"clinic\":"), 400, "INVALID_JSON");
        await AssertErrorAsync(http, Raw("api/v1/queue/enter", "{\"clinic\":\"lab\",\"user\":\"" + new string('x', 5000) + "\"}"), 413, "BODY_TOO_LARGE");
        await AssertErrorAsync(http, Raw("api/v1/queue/enter", "{\"clinic\":\"lab\"}"), 400, "MISSING_FIELD");
        await AssertErrorAsync(http, Raw("api/v1/queue/enter", "{\"clinic\":\"nowhere\",\"user\":\"x\"}"), 404, "UNKNOWN_CLINIC");
        await AssertErrorAsync(http, Raw("api/v1/queue/enter", "{\"clinic\":\"lab\",\"user\":\"x\"}", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
        await AssertErrorAsync(http, new HttpRequestMessage(HttpMethod.Get, "api/v1/reports/daily?date=2026-13-01"), 400, "INVALID_DATE", Key);
    }

    [RealHostFact]
    public async Task A_visit_moves_to_its_next_clinic_and_the_report_shows_a_finished_ticket_within_seconds()
    {
        using HttpClient http = fixture.Host.NewHttp();
        string user = "RHV" + Random.Shared.Next(100_000, 999_999);
        RealHostHttp.Reply started = await http.PostReplyAsync("api/v1/visits", new { user, exam = "aviation", gender = "female" });
        Assert.Equal(200, started.Status);
        Assert.Equal("lab", started.Body.GetProperty("current").GetProperty("clinic").GetString());
        Assert.Contains(started.Body.GetProperty("steps").EnumerateArray(), s => s.GetProperty("clinic").GetString() == "women_eyes");
        Assert.Equal("lab", (await http.GetReplyAsync($"api/v1/visits?user={user}")).Body.GetProperty("current").GetProperty("clinic").GetString());
        Assert.Equal("VISIT_IN_PROGRESS", (await http.EnterAsync("dental", user)).Code);

        RealHostHttp.Reply done = await http.PostReplyAsync("api/v1/queue/done", new { clinic = "lab", user, pin = await http.PinAsync("lab") });
        var finished = Stopwatch.StartNew();
        Assert.Equal(200, done.Status);
        Assert.True(done.Body.GetProperty("next_clinic_unlocked").GetBoolean(), done.Body.ToString());
        string next = done.Body.GetProperty("next_clinic").GetString()!;
        RealHostHttp.Reply visit = await http.GetReplyAsync($"api/v1/visits?user={user}");
        Assert.Equal(next, visit.Body.GetProperty("current").GetProperty("clinic").GetString());
        Assert.Equal(done.Body.GetProperty("next_number").GetInt32(), visit.Body.GetProperty("current").GetProperty("number").GetInt32());

        // The history is written by the queue trigger from queue-events: the report trails the clinic by its polling.
        JsonElement lab = await Eventually.UntilAsync(
            async () => (await http.GetReplyAsync("api/v1/reports/daily?clinic=lab", Key)).Body.GetProperty("clinics")[0],
            report => report.GetProperty("done").GetInt32() >= 1,
            TimeSpan.FromSeconds(10),
            "the report to count the finished lab ticket",
            TimeSpan.FromMilliseconds(100));
        output.WriteLine($"The daily report showed the finished ticket {finished.Elapsed.TotalSeconds:0.0} s after done answered (lab done = {lab.GetProperty("done").GetInt32()}).");
    }

    [RealHostFact]
    public async Task The_range_report_answers_over_the_host_as_json_and_csv_and_refuses_a_bad_range()
    {
        using HttpClient http = fixture.Host.NewHttp();
        RealHostHttp.Reply pins = await http.GetReplyAsync("api/v1/pin/status", Key);
        DateOnly today = DateOnly.Parse(pins.Body.GetProperty("serviceDay").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        string week = $"api/v1/reports/range?from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}";

        Assert.Equal(401, (await http.GetReplyAsync(week)).Status);
        RealHostHttp.Reply json = await http.GetReplyAsync(week, Key);
        Assert.Equal(200, json.Status);
        Assert.Equal(
            Enumerable.Range(0, 7).Select(d => today.AddDays(d - 6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            json.Body.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("date").GetString()));

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, week + "&format=csv");
        csvRequest.Headers.Add("x-functions-key", Key);
        using HttpResponseMessage csv = await http.SendAsync(csvRequest);
        Assert.Equal(200, (int)csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], (await csv.Content.ReadAsByteArrayAsync())[..3]);

        RealHostHttp.Reply backwards = await http.GetReplyAsync($"api/v1/reports/range?from={today:yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}", Key);
        Assert.Equal((400, "INVALID_RANGE"), (backwards.Status, backwards.Body.GetProperty("code").GetString()));
    }

    [RealHostFact]
    public async Task Pages_assets_and_the_qr_code_come_with_their_types_and_security_headers()
    {
        using HttpClient http = fixture.Host.NewHttp();
        foreach (string page in new[] { "kiosk", "display?clinic=lab,xray", "clinic?clinic=lab", "ticket?user=12345" })
        {
            using HttpResponseMessage response = await http.GetAsync(page);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("dir=\"rtl\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var (asset, type) in new[] { ("assets/app.css", "text/css"), ("assets/kiosk.js", "text/javascript"), ("assets/cairo-arabic-400-normal.woff2", "font/woff2"),
            ("assets/calls.js", "text/javascript"), ("assets/speech.js", "text/javascript"), ("assets/push.js", "text/javascript"),
            ("assets/overview-chart.js", "text/javascript"), ("ticket-sw.js", "text/javascript") })
        {
            using HttpResponseMessage response = await http.GetAsync(asset);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, asset);
        }

        using HttpResponseMessage qr = await http.GetAsync("qr?user=12345678");
        Assert.Equal(200, (int)qr.StatusCode);
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await qr.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(404, (int)(await http.GetAsync("assets/nothing.js")).StatusCode);
    }

    [RealHostFact]
    public async Task Event_streams_arrive_unbuffered_through_the_host_and_push_every_change()
    {
        using HttpClient http = fixture.Host.NewHttp();
        string clinic = "surgery";
        Assert.Equal(200, (await http.PostReplyAsync("api/v1/queue/reset", new { clinic }, Key)).Status);
        await using Support.Clients.SseClient board = await Support.Clients.SseClient.ConnectAsync(http, $"api/v1/events/stream?clinic={clinic},audio");
        await using Support.Clients.SseClient patient = await Support.Clients.SseClient.ConnectAsync(http, $"api/v1/events/stream?clinic={clinic}&user=RHS_2");
        Assert.Equal("text/event-stream", board.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", board.Response.Headers.GetValues("X-Accel-Buffering").Single());
        await board.WaitForAsync(e => e.Type == "CONNECTED", TimeSpan.FromSeconds(5), "CONNECTED");
        Assert.StartsWith("retry: 3000", board.Raw, StringComparison.Ordinal);
        await board.WaitForAsync(e => e.Type == "QUEUE_UPDATE" && e.Json.GetProperty("clinic").GetString() == "audio", TimeSpan.FromSeconds(5), "the second clinic's state");
        await patient.WaitForAsync(e => e.Type == "NOT_IN_QUEUE", TimeSpan.FromSeconds(5), "NOT_IN_QUEUE before the ticket");

        var entered = Stopwatch.StartNew();
        Assert.Equal(200, (await http.EnterAsync(clinic, "RHS_1")).Status);
        Support.Clients.SseEvent pushed = await board.WaitForAsync(
            e => e.Type == "QUEUE_UPDATE" && e.Json.GetProperty("clinic").GetString() == clinic && e.Json.GetProperty("length").GetInt32() == 1,
            TimeSpan.FromSeconds(4),
            "the board's push of the new ticket");
        output.WriteLine($"The board saw the enter {entered.ElapsedMilliseconds} ms after it was sent (id {pushed.Id}).");
        Assert.Equal(200, (await http.EnterAsync(clinic, "RHS_2")).Status);
        await patient.WaitForAsync(e => e.Type == "NEAR_TURN" && e.Json.GetProperty("number").GetInt32() == 2, TimeSpan.FromSeconds(4), "the patient's NEAR_TURN");
        Assert.Equal(200, (await http.PostReplyAsync("api/v1/queue/call", new { clinic }, Key)).Status);
        await patient.WaitForAsync(e => e.Type == "YOUR_TURN", TimeSpan.FromSeconds(4), "the patient's YOUR_TURN");
    }

    [RealHostFact]
    public async Task A_stream_the_client_closes_is_logged_by_the_host_as_a_failed_invocation_for_the_proxy_alone()
    {
        using HttpClient http = fixture.Host.NewHttp();
        int before = HostLogEntries.Parse(fixture.Host.Log()).Count;
        await using (Support.Clients.SseClient stream = await Support.Clients.SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=bones"))
        {
            await stream.WaitForAsync(e => e.Type == "QUEUE_UPDATE", TimeSpan.FromSeconds(5), "the state");
        }

        // The host's proxy reports the client's hang-up as a forwarding error and fails the invocation; the app's worker
        // has already ended the stream cleanly and cannot change that (docs/HOST-SETTINGS.md: what the operator sees).
        HostLogEntry? failed = await Eventually.UntilAsync(
            () => Task.FromResult(HostLogEntries.Parse(fixture.Host.Log()).Skip(before).FirstOrDefault(e => e.Message.StartsWith("Executed 'Functions.EventStream' (Failed", StringComparison.Ordinal))),
            e => e is not null,
            TimeSpan.FromSeconds(20),
            "the host to log the closed stream's invocation");
        Assert.NotNull(failed);
        Assert.Contains("ForwarderError: ResponseBodyCanceled", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(
            HostLogEntries.Parse(fixture.Host.Log()).Skip(before),
            e => e.Level is "fail" or "crit" && e.Category.EndsWith(".User", StringComparison.Ordinal));
        output.WriteLine("Logged for a closed stream: " + failed.Message.Split('\n')[0] + " / " + failed.Message.Split('\n')[2].Trim());
    }

    static HttpRequestMessage Raw(string path, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    static async Task AssertErrorAsync(HttpClient http, HttpRequestMessage request, int status, string code, string? key = null)
    {
        RealHostHttp.Reply reply = await http.SendReplyAsync(request, key);
        Assert.Equal((status, code), (reply.Status, reply.Code));
        Assert.False(reply.Body.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(reply.Body.GetProperty("error").GetString()));
    }
}
