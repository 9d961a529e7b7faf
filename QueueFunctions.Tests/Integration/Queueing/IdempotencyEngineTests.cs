using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Api;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Queueing;

/// <summary>
/// Retried staff actions over real HTTP on the real engine: a repeated <c>Idempotency-Key</c> gets the first reply and
/// changes nothing, whatever happened in between; concurrent repeats are applied once; a call names its ticket.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class IdempotencyEngineTests(AzuriteFixture azurite)
{
    private static async Task<(int Status, string Body, bool Replayed)> PostAsync(HttpClient http, string path, object body, string? key, bool staff = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (staff)
        {
            request.Headers.Add("x-functions-key", QueueAppHost.StaffKey);
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
    }

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    /// <summary>Keys of this run only: the replies table outlives a test host on a shared Azurite for 10 minutes.</summary>
    private static readonly string Run = Guid.NewGuid().ToString("N")[..8];

    private static string K(string name) => $"{name}-{Run}";

    [Fact]
    public async Task A_retried_call_and_reset_answer_as_the_first_and_change_nothing_whatever_came_between()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        foreach (var user in new[] { "A", "B", "C" })
        {
            await http.EnterAsync("lab", user);
        }

        var call = await PostAsync(http, "api/v1/queue/call", new { clinic = "lab" }, K("call-1"));
        Assert.Equal(200, call.Status);
        Assert.Equal((2, 1, 2), (Json(call.Body).GetProperty("number").GetInt32(), Json(call.Body).GetProperty("skipped").GetInt32(), Json(call.Body).GetProperty("waiting").GetInt32()));

        // In between: another patient, junk dones (each writes a receipt), another staff action.
        await http.EnterAsync("lab", "D");
        for (var i = 0; i < 80; i++)
        {
            await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = $"JUNK{i}", pin = "0000" });
        }

        var again = await PostAsync(http, "api/v1/queue/call", new { clinic = "lab" }, K("call-1"));
        Assert.Equal((200, call.Body, true), again);
        var status = await http.GetJsonAsync("api/v1/queue/status?clinic=lab");
        Assert.Equal((2, 3), (status.Body.GetProperty("current").GetInt32(), status.Body.GetProperty("waiting").GetInt32()));

        var reset = await PostAsync(http, "api/v1/queue/reset", new { clinic = "lab" }, K("reset-1"));
        Assert.Equal(200, reset.Status);
        await http.EnterAsync("lab", "AFTER");
        var resetAgain = await PostAsync(http, "api/v1/queue/reset", new { clinic = "lab" }, K("reset-1"));
        Assert.Equal((200, reset.Body, true), resetAgain);
        var afterReset = await http.GetJsonAsync("api/v1/queue/status?clinic=lab&user=AFTER");
        Assert.Equal((1, 1), (afterReset.Body.GetProperty("length").GetInt32(), afterReset.Body.GetProperty("you").GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_call_skip_one_patient()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        foreach (var user in new[] { "A", "B", "C", "D" })
        {
            await http.EnterAsync("ent", user);
        }

        // All race past the reply table at once, so only the queue's own memory of the key keeps this to one skip.
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(http, "api/v1/queue/call", new { clinic = "ent" }, K("same-call"))));

        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.All(replies, r => Assert.Equal(1, Json(r.Body).GetProperty("skipped").GetInt32()));
        var stored = (await host.StoredStateAsync("ent"))!;
        Assert.Equal((2, 3), (stored.Current, stored.WaitingCount));
    }

    [Fact]
    public async Task A_call_that_names_its_ticket_never_skips_another()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var pin = (await http.PinsAsync())["dental"];
        foreach (var user in new[] { "A", "B", "C" })
        {
            await http.EnterAsync("dental", user);
        }

        var first = await PostAsync(http, "api/v1/queue/call", new { clinic = "dental", number = 1 }, key: null);
        var repeated = await PostAsync(http, "api/v1/queue/call", new { clinic = "dental", number = 1 }, key: null);
        Assert.Equal(200, first.Status);
        Assert.Equal((200, first.Body), (repeated.Status, repeated.Body));

        Assert.Equal(200, (await http.DoneAsync("dental", "B", pin)).Status);
        var stale = await PostAsync(http, "api/v1/queue/call", new { clinic = "dental", number = 2 }, key: null);
        Assert.Equal(409, stale.Status);
        Assert.Equal(("NOT_CURRENT", 3), (Json(stale.Body).GetProperty("code").GetString(), Json(stale.Body).GetProperty("current").GetInt32()));
        Assert.Equal(3, (await host.StoredStateAsync("dental"))!.Current);

        var bad = await PostAsync(http, "api/v1/queue/call", new { clinic = "dental", number = "three" }, key: null);
        Assert.Equal((400, "INVALID_NUMBER"), (bad.Status, Json(bad.Body).GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_key_reused_for_another_request_is_refused_and_a_malformed_key_is_a_clear_error()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await http.EnterAsync("xray", "A");
        await http.EnterAsync("xray", "B");
        Assert.Equal(200, (await PostAsync(http, "api/v1/queue/call", new { clinic = "xray", number = 1 }, K("k-1"))).Status);

        var reused = await PostAsync(http, "api/v1/queue/call", new { clinic = "xray", number = 2 }, K("k-1"));
        var otherEndpoint = await PostAsync(http, "api/v1/queue/reset", new { clinic = "xray" }, K("k-1"));
        var malformed = await PostAsync(http, "api/v1/queue/call", new { clinic = "xray" }, "key with spaces");

        Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (reused.Status, Json(reused.Body).GetProperty("code").GetString()));
        Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (otherEndpoint.Status, Json(otherEndpoint.Body).GetProperty("code").GetString()));
        Assert.Equal((400, "INVALID_IDEMPOTENCY_KEY"), (malformed.Status, Json(malformed.Body).GetProperty("code").GetString()));
        var stored = (await host.StoredStateAsync("xray"))!;
        Assert.Equal((2, 0), (stored.Current, stored.Round));
    }

    [Fact]
    public async Task A_retried_enter_gets_its_first_reply_even_after_its_ticket_was_finished()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var pin = (await http.PinsAsync())["derma"];

        var first = await PostAsync(http, "api/v1/queue/enter", new { clinic = "derma", user = "P" }, K("enter-P"), staff: false);
        Assert.Equal(200, (await http.DoneAsync("derma", "P", pin)).Status);
        var retried = await PostAsync(http, "api/v1/queue/enter", new { clinic = "derma", user = "P" }, K("enter-P"), staff: false);

        Assert.Equal((200, first.Body, true), retried);
        Assert.Equal(1, (await host.StoredStateAsync("derma"))!.LastNumber);
    }

    [Fact]
    public async Task Kept_replies_are_deleted_by_the_clean_up_and_a_key_is_then_new()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await http.EnterAsync("audio", "A");
        await http.EnterAsync("audio", "B");
        await http.EnterAsync("audio", "C");
        Assert.Equal(200, (await PostAsync(http, "api/v1/queue/call", new { clinic = "audio" }, K("old"))).Status);
        var replies = host.Services.GetRequiredService<IdempotentReplies>();

        var deleted = await replies.DeleteBeforeAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.InRange(deleted, 1, int.MaxValue);
        await foreach (var left in replies.Client.QueryAsync<StoredReply>(r => r.PartitionKey == "audio"))
        {
            Assert.Fail($"A reply kept since {left.At:O} was not deleted.");
        }

        // The queue still knows the request (10 minutes): it is answered from there and applied once.
        var again = await PostAsync(http, "api/v1/queue/call", new { clinic = "audio" }, K("old"));
        Assert.Equal((200, false), (again.Status, again.Replayed));
        Assert.Equal(1, Json(again.Body).GetProperty("skipped").GetInt32());
        Assert.Equal(2, (await host.StoredStateAsync("audio"))!.Current);
    }
}
