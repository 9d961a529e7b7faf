using System.Diagnostics;
using Microsoft.DurableTask.Client;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Visits;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Visits;

/// <summary>A visit's instance removed by the purge of finished runs, on the real Durable Task engine and Azurite.</summary>
[Collection(EngineCollection.Name)]
public sealed class VisitPurgedEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Done_for_the_ticket_of_a_visit_that_ended_and_was_purged_answers_at_once_with_nothing_unlocked()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var (status, started) = await http.StartVisitAsync("GONE1", "cooks");
        Assert.Equal(200, status);
        var id = VisitIds.For("GONE1", DateOnly.Parse(started.GetProperty("serviceDay").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // The visit ends without its step being done (as a failed one does), then the hourly purge takes it.
        await host.Client.TerminateInstanceAsync(id);
        await Eventually.UntilAsync(() => host.Client.GetInstanceAsync(id), m => m?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, TimeSpan.FromSeconds(30), "the visit to end");
        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(id)).PurgedInstanceCount);
        Assert.Equal(id, (await host.StoredStateAsync("lab"))!.WaitingTicketOf("GONE1")!.Visit);

        var clock = Stopwatch.StartNew();
        var (answered, done) = await http.DoneAsync("lab", "GONE1", (await http.PinsAsync())["lab"]);
        output.WriteLine($"done answered {answered} in {clock.ElapsedMilliseconds} ms: {done}");

        // Before, the request read the missing visit until the confirm limit (60 s on the local host) and answered 504.
        Assert.Equal(200, answered);
        Assert.Equal("DONE", done.GetProperty("status").GetString());
        Assert.False(done.GetProperty("next_clinic_unlocked").GetBoolean());
        Assert.False(done.TryGetProperty("next_clinic", out _));
    }
}
