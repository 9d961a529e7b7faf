using Azure;
using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class EnterEndpointTests
{
    private readonly QueueApi api = new(new QueueBackend());

    [Fact]
    public async Task A_new_patient_gets_the_next_number_with_exactly_the_contracts_fields()
    {
        await api.EnterAsync("lab", "TEST_1");

        var response = await api.EnterAsync("LAB", " TEST_2 ");

        Assert.Equal(200, response.Status);
        Assert.Equal(["success", "clinic", "user", "number", "status", "ahead", "current", "serviceDay", "enteredAt", "existing"], response.Fields);
        Assert.True(response["success"].GetBoolean());
        Assert.Equal("lab", response["clinic"].GetString());
        Assert.Equal("TEST_2", response["user"].GetString());
        Assert.Equal(2, response["number"].GetInt32());
        Assert.Equal("WAITING", response["status"].GetString());
        Assert.Equal(1, response["ahead"].GetInt32());
        Assert.Equal(1, response["current"].GetInt32());
        Assert.Equal("2026-11-29", response["serviceDay"].GetString());
        Assert.Equal(Clinic.Morning, DateTimeOffset.Parse(response["enteredAt"].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("+03:00", response["enteredAt"].GetString());
        Assert.False(response["existing"].GetBoolean());
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
    }

    [Fact]
    public async Task Entering_again_returns_the_same_ticket_marked_existing_and_uses_no_number()
    {
        var first = await api.EnterAsync("lab", "TEST_1");

        var again = await api.EnterAsync("lab", "test_1");

        // The repeat reaches the entity (no read before signalling), which hands back the ticket the user holds.
        Assert.Equal(first["number"].GetInt32(), again["number"].GetInt32());
        Assert.True(again["existing"].GetBoolean());
        Assert.Single(api.Backend.StateOf("lab").Tickets);
        Assert.Equal(1, api.Backend.StateOf("lab").LastNumber);
    }

    [Theory]
    [InlineData("\u0661\u0662\u0663\u0664\u0665")]
    [InlineData("\u06F1\u06F2\u06F3\u06F4\u06F5")]
    [InlineData("\uFF11\uFF12\uFF13\uFF14\uFF15")]
    public async Task A_number_typed_in_other_digits_is_the_same_patient_as_at_the_kiosk(string typed)
    {
        var kiosk = await api.EnterAsync("lab", "12345");

        var phone = await api.EnterAsync("lab", typed);

        Assert.Equal("12345", phone["user"].GetString());
        Assert.Equal(kiosk["number"].GetInt32(), phone["number"].GetInt32());
        Assert.True(phone["existing"].GetBoolean());
        Assert.Single(api.Backend.StateOf("lab").Tickets);
    }

    [Fact]
    public async Task The_wait_estimate_appears_once_the_clinic_has_served_enough_patients()
    {
        foreach (var user in new[] { "A", "B", "C", "D" })
        {
            await api.EnterAsync("lab", user);
        }

        Assert.False((await api.EnterAsync("lab", "E")).Body.TryGetProperty("estimatedWaitMinutes", out _));

        for (var i = 0; i < 3; i++)
        {
            api.Backend.Time.Advance(TimeSpan.FromMinutes(6));
            await api.CallAsync("lab");
        }

        var response = await api.EnterAsync("lab", "F");

        Assert.Equal(2, response["ahead"].GetInt32());
        Assert.Equal(12, response["estimatedWaitMinutes"].GetInt32());
    }

    [Theory]
    [InlineData("{\"clinic\": \"lab\", \"user\": ")]
    [InlineData("not json")]
    [InlineData("[\"lab\", \"TEST_1\"]")]
    [InlineData("\"lab\"")]
    [InlineData("")]
    public async Task Malformed_json_is_refused(string body) =>
        (await api.EnterAsync(Http.Post(body))).AssertError(400, "INVALID_JSON");

    [Theory]
    [InlineData("{\"user\": \"TEST_1\"}", "clinic")]
    [InlineData("{\"clinic\": null, \"user\": \"TEST_1\"}", "clinic")]
    [InlineData("{\"clinic\": \"lab\"}", "user")]
    public async Task A_missing_field_is_named(string body, string field)
    {
        var response = await api.EnterAsync(Http.Post(body));

        response.AssertError(400, "MISSING_FIELD");
        Assert.Contains($"'{field}'", response["error"].GetString());
    }

    [Theory]
    [InlineData("{\"clinic\": \"la b\", \"user\": \"TEST_1\"}", "INVALID_CLINIC")]
    [InlineData("{\"clinic\": 7, \"user\": \"TEST_1\"}", "INVALID_CLINIC")]
    [InlineData("{\"clinic\": \"\", \"user\": \"TEST_1\"}", "INVALID_CLINIC")]
    [InlineData("{\"clinic\": \"lab\", \"user\": \"   \"}", "INVALID_USER")]
    [InlineData("{\"clinic\": \"lab\", \"user\": \"a\\nb\"}", "INVALID_USER")]
    [InlineData("{\"clinic\": \"lab\", \"user\": 12345}", "INVALID_USER")]
    [InlineData("{\"clinic\": \"lab\", \"user\": \"\\ud800\"}", "INVALID_USER")]
    [InlineData("{\"clinic\": \"lab\", \"user\": \"12\\udc00\\ud800\"}", "INVALID_USER")]
    [InlineData("{\"clinic\": \"\\ud800\", \"user\": \"TEST_1\"}", "INVALID_CLINIC")]
    [InlineData("{\"clinic\": \"lab\", \"user\": \"\\u202e\\u200b\"}", "INVALID_USER")]
    public async Task Ill_shaped_fields_are_refused_and_nothing_is_signalled(string body, string code)
    {
        (await api.EnterAsync(Http.Post(body))).AssertError(400, code);

        Assert.Empty(api.Backend.Signals);
    }

    [Fact]
    public async Task A_clinic_not_in_the_list_is_unknown() =>
        (await api.EnterAsync("cardio", "TEST_1")).AssertError(404, "UNKNOWN_CLINIC");

    [Fact]
    public async Task With_an_empty_clinic_list_any_well_formed_clinic_works()
    {
        var open = new QueueApi(new QueueBackend(new QueueOptions { Clinics = "" }));

        var response = await open.EnterAsync("cardio", "TEST_1");

        Assert.Equal(200, response.Status);
        Assert.Equal("cardio", response["clinic"].GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_4_KiB_is_refused_whether_or_not_its_length_is_declared(bool declareLength)
    {
        var body = $"{{\"clinic\": \"lab\", \"user\": \"TEST_1\", \"pad\": \"{new string('x', 4100)}\"}}";

        (await api.EnterAsync(Http.Post(body, declareLength))).AssertError(413, "BODY_TOO_LARGE");
        Assert.Empty(api.Backend.Signals);
    }

    [Fact]
    public async Task A_body_of_exactly_4_KiB_is_accepted()
    {
        var prefix = "{\"clinic\": \"lab\", \"user\": \"TEST_1\", \"pad\": \"";
        var body = prefix + new string('x', 4096 - prefix.Length - 2) + "\"}";
        Assert.Equal(4096, body.Length);

        Assert.Equal(200, (await api.EnterAsync(Http.Post(body))).Status);
    }

    [Fact]
    public async Task Unreachable_storage_is_503_with_retry_after()
    {
        api.Backend.Outage = new RequestFailedException(503, "storage down");

        var response = await api.EnterAsync("lab", "TEST_1");

        response.AssertError(503, "BACKEND_UNAVAILABLE");
        Assert.Equal("5", response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task An_unconfirmed_ticket_is_504_and_the_retry_returns_the_same_ticket()
    {
        var backend = new QueueBackend(new QueueOptions { ConfirmTimeoutSeconds = 1 }) { AppliesSignals = false };
        var slow = new QueueApi(backend);

        (await slow.EnterAsync("lab", "TEST_1")).AssertError(504, "TIMEOUT");

        // The engine catches up with the signal it had accepted: the retry finds that ticket, no second one.
        var (clinic, operation) = Assert.Single(backend.Signals);
        backend.AppliesSignals = true;
        var accepted = backend.Entities.Invocations.Single(i => i.Method.Name == "SignalEntityAsync").Arguments[2];
        await backend.HarnessFor(clinic).RunAsync(operation, accepted);

        var retry = await slow.EnterAsync("lab", "TEST_1");

        Assert.Equal(200, retry.Status);
        Assert.Equal(1, retry["number"].GetInt32());
        Assert.True(retry["existing"].GetBoolean());
        Assert.Single(backend.StateOf("lab").Tickets);
    }

    [Fact]
    public async Task After_the_day_turns_yesterdays_ticket_is_never_returned_while_the_entity_catches_up()
    {
        var backend = api.Backend;
        await api.EnterAsync("lab", "A");
        await api.EnterAsync("lab", "B");
        backend.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.FromHours(3)));
        backend.AppliesSignals = false;
        var readsBefore = backend.Reader.Reads;

        var entering = api.EnterAsync("lab", "B");
        await Eventually.TrueAsync(() => backend.Signals.Count == 3, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => backend.Reader.Reads >= readsBefore + 3, TimeSpan.FromSeconds(10), "the watcher has read yesterday's state after the signal");
        var accepted = backend.Entities.Invocations.Last(i => i.Method.Name == "SignalEntityAsync").Arguments[2];
        await backend.HarnessFor("lab").RunAsync(backend.Signals[^1].Operation, accepted);
        var response = await entering;

        Assert.Equal((1, "2026-11-30", false), (response["number"].GetInt32(), response["serviceDay"].GetString(), response["existing"].GetBoolean()));
    }
}
