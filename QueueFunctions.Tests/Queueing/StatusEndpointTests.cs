using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class StatusEndpointTests
{
    private readonly QueueApi api = new(new QueueBackend());

    private async Task MixedQueueAsync()
    {
        foreach (var user in new[] { "A", "B", "C", "D" })
        {
            await api.EnterAsync("lab", user);
        }

        await api.CallAsync("lab");                  // 1 no-show
        await api.DoneAsync("lab", "C", Clinic.Pin); // 3 done
    }

    [Fact]
    public async Task The_clinics_queue_with_exactly_the_contracts_fields()
    {
        await MixedQueueAsync();

        var response = await api.StatusAsync("?clinic=LAB");

        Assert.Equal(200, response.Status);
        Assert.Equal(["success", "clinic", "current", "length", "waiting", "done", "serviceDay"], response.Fields);
        Assert.Equal("lab", response["clinic"].GetString());
        Assert.Equal(2, response["current"].GetInt32());
        Assert.Equal(4, response["length"].GetInt32());
        Assert.Equal(2, response["waiting"].GetInt32());
        Assert.Equal(1, response["done"].GetInt32());
        Assert.Equal("2026-11-29", response["serviceDay"].GetString());
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task With_a_user_it_adds_their_ticket()
    {
        await MixedQueueAsync();

        var response = await api.StatusAsync("?clinic=lab&user=d");

        Assert.Equal(["success", "clinic", "current", "length", "waiting", "done", "serviceDay", "you"], response.Fields);
        var you = response["you"];
        Assert.Equal(4, you.GetProperty("number").GetInt32());
        Assert.Equal("WAITING", you.GetProperty("status").GetString());
        Assert.Equal(1, you.GetProperty("ahead").GetInt32());
        Assert.Equal("DONE", (await api.StatusAsync("?clinic=lab&user=C"))["you"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_user_without_a_ticket_today_gets_you_null()
    {
        await MixedQueueAsync();

        var response = await api.StatusAsync("?clinic=lab&user=NOBODY");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, response["you"].ValueKind);
    }

    [Fact]
    public async Task A_clinic_nobody_used_today_reads_as_an_empty_queue_without_writing()
    {
        var response = await api.StatusAsync("?clinic=xray");

        Assert.Equal((0, 0, 0), (response["current"].GetInt32(), response["length"].GetInt32(), response["waiting"].GetInt32()));
        Assert.Empty(api.Backend.Signals);
    }

    [Fact]
    public async Task Yesterdays_queue_is_not_shown_after_the_service_day_turns()
    {
        await MixedQueueAsync();
        api.Backend.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.FromHours(3)));

        var response = await api.StatusAsync("?clinic=lab&user=D");

        Assert.Equal("2026-11-30", response["serviceDay"].GetString());
        Assert.Equal(0, response["length"].GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response["you"].ValueKind);
    }

    [Theory]
    [InlineData("", 400, "MISSING_FIELD")]
    [InlineData("?user=A", 400, "MISSING_FIELD")]
    [InlineData("?clinic=", 400, "MISSING_FIELD")]
    [InlineData("?clinic=la%20b", 400, "INVALID_CLINIC")]
    [InlineData("?clinic=lab&user=%0A", 400, "INVALID_USER")]
    [InlineData("?clinic=cardio", 404, "UNKNOWN_CLINIC")]
    public async Task Bad_queries_are_refused(string query, int status, string code) =>
        (await api.StatusAsync(query)).AssertError(status, code);

    [Fact]
    public async Task Unreachable_storage_is_503()
    {
        api.Backend.Outage = new HttpRequestException("connection refused");

        (await api.StatusAsync("?clinic=lab")).AssertError(503, "BACKEND_UNAVAILABLE");
    }
}
