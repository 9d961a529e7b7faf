using System.Text.Json;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Queueing;

/// <summary>
/// A patient finished at a busy clinic is answered as finished all day, over real HTTP on the real engine: a repeated
/// done, status, the patient's stream and the visit's view, after 70 more patients have finished there.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class DayMemoryEngineTests(AzuriteFixture azurite)
{
    private const int Others = 70;

    [Fact]
    public async Task A_patient_finished_before_70_others_is_answered_as_finished_everywhere()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var pin = (await http.PinsAsync())["lab"];

        Assert.Equal(200, (await http.EnterAsync("lab", "EARLY")).Status);
        var first = await http.DoneAsync("lab", "EARLY", pin);
        Assert.Equal(200, first.Status);
        // The visit's patient finishes at lab (the visit's first step) and moves on to xray.
        var visit = await http.StartVisitAsync("VISITOR", "recruitment");
        Assert.Equal((200, "lab"), (visit.Status, visit.Body.CurrentClinic()));
        var visitDone = await http.DoneAsync("lab", "VISITOR", pin);
        Assert.Equal("xray", visitDone.Body.GetProperty("next_clinic").GetString());

        for (var i = 0; i < Others; i++)
        {
            Assert.Equal(200, (await http.EnterAsync("lab", $"LATER{i}")).Status);
            Assert.Equal(200, (await http.DoneAsync("lab", $"LATER{i}", pin)).Status);
        }

        var stored = (await host.StoredStateAsync("lab"))!;
        Assert.DoesNotContain(stored.Tickets, t => t.User is "EARLY" or "VISITOR");

        var repeated = await http.DoneAsync("lab", "EARLY", pin);
        Assert.Equal(200, repeated.Status);
        Assert.Equal(
            (first.Body.GetProperty("number").GetInt32(), "DONE", false),
            (repeated.Body.GetProperty("number").GetInt32(), repeated.Body.GetProperty("status").GetString(), repeated.Body.GetProperty("next_clinic_unlocked").GetBoolean()));

        var visitRepeated = await http.DoneAsync("lab", "VISITOR", pin);
        Assert.Equal(200, visitRepeated.Status);
        Assert.Equal(
            (visitDone.Body.GetProperty("next_clinic").GetString(), visitDone.Body.GetProperty("next_number").GetInt32()),
            (visitRepeated.Body.GetProperty("next_clinic").GetString(), visitRepeated.Body.GetProperty("next_number").GetInt32()));

        var status = await http.GetJsonAsync("api/v1/queue/status?clinic=lab&user=early");
        var you = status.Body.GetProperty("you");
        Assert.Equal(JsonValueKind.Object, you.ValueKind);
        Assert.Equal((1, "DONE"), (you.GetProperty("number").GetInt32(), you.GetProperty("status").GetString()));

        await using (var stream = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab&user=EARLY"))
        {
            var message = await stream.WaitForAsync(e => e.Data is not null && e.Type != "CONNECTED", TimeSpan.FromSeconds(10), "the patient's state");
            Assert.Equal(("STEP_DONE_NEXT", 1), (message.Type, message.Json.GetProperty("number").GetInt32()));
        }

        // A phone that wakes up on the old clinic's page follows the visit on.
        await using (var stream = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab&user=VISITOR"))
        {
            var message = await stream.WaitForAsync(e => e.Data is not null && e.Type != "CONNECTED", TimeSpan.FromSeconds(10), "the visitor's state");
            Assert.Equal(("STEP_DONE_NEXT", "xray"), (message.Type, message.Json.GetProperty("next_clinic").GetString()));
        }

        var view = await http.GetVisitAsync("VISITOR");
        Assert.Contains(("lab", "DONE", (int?)2), view.Body.Steps());
    }

    [Fact]
    public async Task A_reset_leaves_finished_patients_answered_and_cleared_ones_without_a_ticket()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var pin = (await http.PinsAsync())["eyes"];
        await http.EnterAsync("eyes", "FINISHED");
        await http.EnterAsync("eyes", "CLEARED");
        Assert.Equal(200, (await http.DoneAsync("eyes", "FINISHED", pin)).Status);

        Assert.Equal(200, (await http.PostAsync("api/v1/queue/reset", new { clinic = "eyes" }, staff: true)).Status);

        var finished = await http.GetJsonAsync("api/v1/queue/status?clinic=eyes&user=FINISHED");
        var cleared = await http.GetJsonAsync("api/v1/queue/status?clinic=eyes&user=CLEARED");
        Assert.Equal("DONE", finished.Body.GetProperty("you").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, cleared.Body.GetProperty("you").ValueKind);
        Assert.Equal(200, (await http.DoneAsync("eyes", "FINISHED", pin)).Status);
        Assert.Equal((404, "NOT_IN_QUEUE"), ((await http.DoneAsync("eyes", "CLEARED", pin)).Status, (await http.DoneAsync("eyes", "CLEARED", pin)).Body.GetProperty("code").GetString()));
    }
}
