using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class StaffEndpointTests
{
    private readonly QueueApi api = new(new QueueBackend(null, Clinic.Pin, "1111", "2222", "3333"));

    [Fact]
    public async Task Call_skips_the_current_patient_with_exactly_the_contracts_fields()
    {
        foreach (var user in new[] { "A", "B", "C" })
        {
            await api.EnterAsync("lab", user);
        }

        var response = await api.CallAsync("lab");

        Assert.Equal(200, response.Status);
        Assert.Equal(["success", "clinic", "number", "skipped", "waiting"], response.Fields);
        Assert.Equal(2, response["number"].GetInt32());
        Assert.Equal(1, response["skipped"].GetInt32());
        Assert.Equal(2, response["waiting"].GetInt32());
        Assert.Equal("NO_SHOW", (await api.StatusAsync("?clinic=lab&user=A"))["you"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Calling_the_last_patient_leaves_current_at_zero()
    {
        await api.EnterAsync("lab", "A");

        var response = await api.CallAsync("lab");

        Assert.Equal((0, 1, 0), (response["number"].GetInt32(), response["skipped"].GetInt32(), response["waiting"].GetInt32()));
    }

    [Fact]
    public async Task Call_on_an_empty_queue_is_404() =>
        (await api.CallAsync("lab")).AssertError(404, "QUEUE_EMPTY");

    [Theory]
    [InlineData("{}", 400, "MISSING_FIELD")]
    [InlineData("{\"clinic\": \"x ray\"}", 400, "INVALID_CLINIC")]
    [InlineData("{\"clinic\": \"cardio\"}", 404, "UNKNOWN_CLINIC")]
    [InlineData("{", 400, "INVALID_JSON")]
    public async Task Call_and_reset_refuse_bad_bodies(string body, int status, string code)
    {
        (await api.CallAsync(Http.Post(body))).AssertError(status, code);
        (await api.ResetAsync(Http.Post(body))).AssertError(status, code);
    }

    [Fact]
    public async Task Reset_restarts_numbering_with_exactly_the_contracts_fields()
    {
        await api.EnterAsync("lab", "A");
        await api.EnterAsync("lab", "B");

        var response = await api.ResetAsync(Http.PostJson(new { clinic = "lab" }));

        Assert.Equal(200, response.Status);
        Assert.Equal(["success", "clinic", "message", "serviceDay"], response.Fields);
        Assert.Equal("Counters reset", response["message"].GetString());
        Assert.Equal("2026-11-29", response["serviceDay"].GetString());
        Assert.Equal(1, (await api.EnterAsync("lab", "B"))["number"].GetInt32());
    }

    [Fact]
    public async Task Pin_status_lists_every_configured_clinics_pin_of_the_day()
    {
        var response = await api.PinStatusAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(["success", "serviceDay", "timezone", "reset_time", "pins"], response.Fields);
        Assert.Equal("2026-11-29", response["serviceDay"].GetString());
        Assert.Equal("Asia/Qatar", response["timezone"].GetString());
        Assert.Equal("05:00", response["reset_time"].GetString());
        var pins = response["pins"].EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new QueueOptions().ClinicList().Order(), pins.Keys.Order());
        Assert.All(pins.Values, pin => Assert.Matches("^[0-9]{4}$", pin));
        Assert.Equal(api.Backend.StateOf("lab").Pin, pins["lab"]);
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task Pin_status_keeps_the_days_pin_and_the_done_endpoint_accepts_it()
    {
        await api.EnterAsync("lab", "A");
        var first = (await api.PinStatusAsync())["pins"].GetProperty("lab").GetString()!;

        var second = (await api.PinStatusAsync())["pins"].GetProperty("lab").GetString();

        Assert.Equal(first, second);
        Assert.Equal(200, (await api.DoneAsync("lab", "A", first)).Status);
    }

    [Fact]
    public async Task Without_a_clinic_list_pin_status_lists_the_clinics_in_use()
    {
        var open = new QueueApi(new QueueBackend(new QueueOptions { Clinics = "" }));
        await open.EnterAsync("cardio", "A");
        await open.EnterAsync("neuro", "B");

        var pins = (await open.PinStatusAsync())["pins"].EnumerateObject().Select(p => p.Name);

        Assert.Equal(["cardio", "neuro"], pins);
    }

    [Fact]
    public async Task Staff_endpoints_answer_503_when_storage_is_down()
    {
        api.Backend.Outage = new IOException("socket closed");

        (await api.CallAsync("lab")).AssertError(503, "BACKEND_UNAVAILABLE");
        (await api.ResetAsync(Http.PostJson(new { clinic = "lab" }))).AssertError(503, "BACKEND_UNAVAILABLE");
        (await api.PinStatusAsync()).AssertError(503, "BACKEND_UNAVAILABLE");
    }

    [Fact]
    public async Task Staff_endpoints_answer_504_when_the_queue_does_not_confirm()
    {
        var slow = new QueueApi(new QueueBackend(new QueueOptions { ConfirmTimeoutSeconds = 1 }) { AppliesSignals = false });

        (await slow.CallAsync("lab")).AssertError(504, "TIMEOUT");
        (await slow.ResetAsync(Http.PostJson(new { clinic = "lab" }))).AssertError(504, "TIMEOUT");
    }
}
