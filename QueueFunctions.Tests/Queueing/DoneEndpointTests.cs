using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class DoneEndpointTests
{
    private readonly QueueApi api = new(new QueueBackend());

    [Fact]
    public async Task The_right_pin_finishes_the_ticket_with_exactly_the_contracts_fields()
    {
        await api.EnterAsync("lab", "TEST_1");
        await api.EnterAsync("lab", "TEST_2");

        var response = await api.DoneAsync("lab", "test_1", Clinic.Pin);

        Assert.Equal(200, response.Status);
        Assert.Equal(["success", "clinic", "user", "number", "status", "current", "next_clinic_unlocked"], response.Fields);
        Assert.Equal("TEST_1", response["user"].GetString());
        Assert.Equal(1, response["number"].GetInt32());
        Assert.Equal("DONE", response["status"].GetString());
        Assert.Equal(2, response["current"].GetInt32());
        // No visit moves this patient on: the contract's false, not the earlier system's unconditional true.
        Assert.False(response["next_clinic_unlocked"].GetBoolean());
    }

    [Fact]
    public async Task Done_again_returns_the_same_answer()
    {
        await api.EnterAsync("lab", "TEST_1");
        await api.EnterAsync("lab", "TEST_2");
        var first = await api.DoneAsync("lab", "TEST_1", Clinic.Pin);

        var again = await api.DoneAsync("lab", "TEST_1", Clinic.Pin);

        Assert.Equal(first.Body.ToString(), again.Body.ToString());
    }

    [Fact]
    public async Task A_wrong_pin_is_403_and_the_ticket_stays_waiting()
    {
        await api.EnterAsync("lab", "TEST_1");
        var tickets = api.Backend.StateOf("lab").Tickets;

        (await api.DoneAsync("lab", "TEST_1", Clinic.WrongPin)).AssertError(403, "INVALID_PIN");

        Assert.Equal(tickets, api.Backend.StateOf("lab").Tickets);
        Assert.Equal(1, (await api.StatusAsync("?clinic=lab"))["current"].GetInt32());
    }

    [Fact]
    public async Task After_five_wrong_pins_the_user_is_locked_even_with_the_right_one()
    {
        await api.EnterAsync("lab", "TEST_1");
        for (var i = 0; i < 5; i++)
        {
            (await api.DoneAsync("lab", "TEST_1", Clinic.WrongPin)).AssertError(403, "INVALID_PIN");
        }

        (await api.DoneAsync("lab", "TEST_1", Clinic.Pin)).AssertError(429, "PIN_LOCKED");
        Assert.Equal(TicketStatus.Waiting, Assert.Single(api.Backend.StateOf("lab").Tickets).Status);

        // Staff can still move the queue on.
        Assert.Equal(200, (await api.CallAsync("lab")).Status);
    }

    [Fact]
    public async Task A_user_without_a_ticket_is_not_in_queue() =>
        (await api.DoneAsync("lab", "NOBODY", Clinic.Pin)).AssertError(404, "NOT_IN_QUEUE");

    [Theory]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"TEST_1\",\"pin\":\"12\"}", 400, "INVALID_PIN_FORMAT")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"TEST_1\",\"pin\":\"12345\"}", 400, "INVALID_PIN_FORMAT")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"TEST_1\",\"pin\":\"12a4\"}", 400, "INVALID_PIN_FORMAT")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"TEST_1\",\"pin\":4821}", 400, "INVALID_PIN_FORMAT")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"TEST_1\"}", 400, "MISSING_FIELD")]
    [InlineData("{\"clinic\":\"lab\",\"pin\":\"4821\"}", 400, "MISSING_FIELD")]
    [InlineData("{\"user\":\"TEST_1\",\"pin\":\"4821\"}", 400, "MISSING_FIELD")]
    [InlineData("{\"clinic\":\"cardio\",\"user\":\"TEST_1\",\"pin\":\"4821\"}", 404, "UNKNOWN_CLINIC")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"\",\"pin\":\"4821\"}", 400, "INVALID_USER")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"\\ud800\",\"pin\":\"4821\"}", 400, "INVALID_USER")]
    [InlineData("{\"clinic\":\"lab\",\"user\":\"TEST_1\",\"pin\":\"\\udfff\"}", 400, "INVALID_PIN_FORMAT")]
    [InlineData("{\"clinic\":\"lab!\",\"user\":\"TEST_1\",\"pin\":\"4821\"}", 400, "INVALID_CLINIC")]
    [InlineData("{\"clinic\":\"lab\",", 400, "INVALID_JSON")]
    public async Task Bad_requests_are_refused_before_the_queue_is_touched(string body, int status, string code)
    {
        await api.EnterAsync("lab", "TEST_1");
        var signals = api.Backend.Signals.Count;

        (await api.DoneAsync(Http.Post(body))).AssertError(status, code);

        Assert.Equal(signals, api.Backend.Signals.Count);
        Assert.Empty(api.Backend.StateOf("lab").PinFailures);
    }

    [Fact]
    public async Task The_pin_length_follows_the_setting()
    {
        var six = new QueueApi(new QueueBackend(new QueueOptions { PinDigits = 6 }));

        (await six.DoneAsync("lab", "TEST_1", "4821")).AssertError(400, "INVALID_PIN_FORMAT");
    }

    [Fact]
    public async Task Unreachable_storage_is_503()
    {
        api.Backend.Outage = new TimeoutException("storage timed out");

        (await api.DoneAsync("lab", "TEST_1", Clinic.Pin)).AssertError(503, "BACKEND_UNAVAILABLE");
    }

    [Fact]
    public async Task An_unconfirmed_done_is_504()
    {
        var slow = new QueueApi(new QueueBackend(new QueueOptions { ConfirmTimeoutSeconds = 1 }));
        await slow.EnterAsync("lab", "TEST_1");
        slow.Backend.AppliesSignals = false;

        (await slow.DoneAsync("lab", "TEST_1", Clinic.Pin)).AssertError(504, "TIMEOUT");
    }
}
