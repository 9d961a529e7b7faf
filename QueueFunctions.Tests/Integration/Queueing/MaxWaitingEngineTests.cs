using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Queueing;

/// <summary><c>Queue:MaxWaiting</c> under a flood, over real HTTP on the real engine: beyond it, 409 and nothing changed.</summary>
[Collection(EngineCollection.Name)]
public sealed class MaxWaitingEngineTests(AzuriteFixture azurite)
{
    private const int Max = 25;

    [Fact]
    public async Task A_flood_of_enters_fills_the_clinic_to_its_cap_and_no_further()
    {
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?> { ["Queue:MaxWaiting"] = $"{Max}" });
        using var http = host.NewHttp();

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => http.EnterAsync("lab", $"FLOOD{i}")));

        Assert.Equal(Max, replies.Count(r => r.Status == 200));
        Assert.All(replies.Where(r => r.Status != 200), r => Assert.Equal((409, "QUEUE_FULL"), (r.Status, r.Body.GetProperty("code").GetString())));
        Assert.Equal(Enumerable.Range(1, Max), replies.Where(r => r.Status == 200).Select(r => r.Body.GetProperty("number").GetInt32()).Order());
        var stored = (await host.StoredStateAsync("lab"))!;
        Assert.Equal((Max, Max), (stored.LastNumber, stored.WaitingCount));

        // A visit would start with a ticket there: refused too, and no visit is left behind.
        var visit = await http.StartVisitAsync("LATE", "recruitment");
        Assert.Equal((409, "QUEUE_FULL"), (visit.Status, visit.Body.GetProperty("code").GetString()));
        Assert.Equal(404, (await http.GetVisitAsync("LATE")).Status);

        // A patient who already waits is answered with their ticket; once staff move the queue, there is room again.
        var holder = replies.First(r => r.Status == 200).Body.GetProperty("user").GetString()!;
        Assert.Equal(200, (await http.EnterAsync("lab", holder)).Status);
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic = "lab" }, staff: true)).Status);
        Assert.Equal((200, Max + 1), await NumberOf(http.EnterAsync("lab", "NEXT")));
    }

    private static async Task<(int, int)> NumberOf(Task<(int Status, System.Text.Json.JsonElement Body)> reply)
    {
        var (status, body) = await reply;
        return (status, status == 200 ? body.GetProperty("number").GetInt32() : -1);
    }
}
