using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Visits;

/// <summary>The visit endpoints' shapes and errors of API.md, and the patient's stream along a visit, over real HTTP.</summary>
[Collection(EngineCollection.Name)]
public sealed class VisitApiEngineTests(AzuriteFixture azurite)
{
    public static readonly TheoryData<string, int, string> BadStarts = new()
    {
        { """{"exam":"cooks","gender":"male"}""", 400, "MISSING_FIELD" },
        { """{"user":"1","gender":"male"}""", 400, "MISSING_FIELD" },
        { """{"user":"1","exam":"cooks"}""", 400, "MISSING_FIELD" },
        { """{"user":"1","exam":"cooks","gender":null}""", 400, "MISSING_FIELD" },
        { """{"user":"1","exam":"dancing","gender":"male"}""", 400, "INVALID_EXAM" },
        { """{"user":"1","exam":7,"gender":"male"}""", 400, "INVALID_EXAM" },
        { """{"user":"1","exam":"cooks","gender":"other"}""", 400, "INVALID_GENDER" },
        { """{"user":"1","exam":"cooks","gender":true}""", 400, "INVALID_GENDER" },
        { """{"user":"\n","exam":"cooks","gender":"male"}""", 400, "INVALID_USER" },
        { """{"user":12,"exam":"cooks","gender":"male"}""", 400, "INVALID_USER" },
        { """{"user":"1","exam":"cooks",""", 400, "INVALID_JSON" },
        { """["user"]""", 400, "INVALID_JSON" },
        { "", 400, "INVALID_JSON" },
    };

    [Fact]
    public async Task A_bad_visit_start_gets_the_contract_error_and_starts_nothing()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();

        foreach (var row in BadStarts)
        {
            var (body, status, code) = ((string)row[0], (int)row[1], (string)row[2]);
            var (got, error) = await SendAsync(http, HttpMethod.Post, "api/v1/visits", body);

            Assert.True((status, code) == (got, error.GetProperty("code").GetString()), $"{body} answered {got} {error}");
            Assert.False(error.GetProperty("success").GetBoolean());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error").GetString()));
        }

        Assert.Equal(404, (await http.GetVisitAsync("1")).Status);
    }

    [Fact]
    public async Task The_visit_endpoints_answer_with_the_contract_shapes()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();

        var (tooLarge, large) = await SendAsync(http, HttpMethod.Post, "api/v1/visits", $$"""{"user":"{{new string('1', 5000)}}","exam":"cooks","gender":"male"}""");
        Assert.Equal((413, "BODY_TOO_LARGE"), (tooLarge, large.GetProperty("code").GetString()));
        var (missingUser, missing) = await http.GetJsonAsync("api/v1/visits");
        Assert.Equal((400, "MISSING_FIELD"), (missingUser, missing.GetProperty("code").GetString()));
        var (none, noVisit) = await http.GetVisitAsync("NOBODY");
        Assert.Equal((404, "NO_VISIT"), (none, noVisit.GetProperty("code").GetString()));

        var (status, started) = await http.StartVisitAsync(" 4455 ", "Aviation", "FEMALE");
        Assert.Equal(200, status);
        Assert.Equal(
            ["success", "user", "exam", "examName", "gender", "serviceDay", "status", "existing", "steps", "current"],
            started.EnumerateObject().Select(p => p.Name));
        Assert.Equal("4455", started.GetProperty("user").GetString());
        Assert.Equal("aviation", started.GetProperty("exam").GetString());
        Assert.Equal("طيران سنوي", started.GetProperty("examName").GetString());
        Assert.Equal("female", started.GetProperty("gender").GetString());
        Assert.Equal(["lab", "women_eyes", "women_internal", "ent", "ecg", "audio"], started.Steps().Select(s => s.Clinic));
        Assert.Equal(["clinic", "number", "ahead"], started.GetProperty("current").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, started.GetProperty("current").GetProperty("ahead").GetInt32());

        using var response = await http.GetAsync("api/v1/visits?user=4455");
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var got = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(got.TryGetProperty("existing", out _));
        Assert.Equal(started.GetProperty("steps").ToString(), got.GetProperty("steps").ToString());
    }

    [Fact]
    public async Task The_patients_stream_says_where_the_visit_goes_next_and_when_it_is_complete()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        Assert.Equal(200, (await http.StartVisitAsync("STREAM", "cooks")).Status);
        await using var lab = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab&user=STREAM");
        await lab.WaitForAsync(e => e.Type == "YOUR_TURN", TimeSpan.FromSeconds(30), "the patient's turn at lab");

        var pins = await http.PinsAsync();
        var (_, done) = await http.DoneAsync("lab", "STREAM", pins["lab"]);
        var next = done.GetProperty("next_clinic").GetString()!;
        var moved = await lab.WaitForAsync(
            e => e.Type == "STEP_DONE_NEXT" && e.Json.TryGetProperty("next_clinic", out _), TimeSpan.FromSeconds(30), "the next clinic on the lab stream");
        Assert.Equal(next, moved.Json.GetProperty("next_clinic").GetString());
        Assert.Equal(done.GetProperty("next_number").GetInt32(), moved.Json.GetProperty("next_number").GetInt32());

        var clinic = next;
        while (true)
        {
            pins = await http.PinsAsync();
            var (_, step) = await http.DoneAsync(clinic, "STREAM", pins[clinic]);
            if (!step.GetProperty("next_clinic_unlocked").GetBoolean())
            {
                break;
            }

            clinic = step.GetProperty("next_clinic").GetString()!;
        }

        await using var last = await SseClient.ConnectAsync(http, $"api/v1/events/stream?clinic={clinic}&user=STREAM");
        var complete = await last.WaitForAsync(e => e.Type == "VISIT_COMPLETE", TimeSpan.FromSeconds(30), "the visit's completion");
        Assert.Equal("DONE", complete.Json.GetProperty("status").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
