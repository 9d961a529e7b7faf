using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Queueing;

/// <summary>Every change reaches the queue-events storage queue: sent by the entity's operation, or by the publisher orchestration when that fails.</summary>
[Collection(EngineCollection.Name)]
public sealed class QueueEventsEngineTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Any clinic id, and the app's own history recorder off: these tests take the messages off queue-events themselves.</summary>
    private static Dictionary<string, string?> ReadingQueueEventsOurselves => new()
    {
        ["Queue:Clinics"] = "",
        [$"AzureWebJobs.{QueueFunctions.History.RecordQueueEventFunction.Name}.Disabled"] = "true",
    };

    [Fact]
    public async Task Every_change_of_every_clinic_arrives_once_with_consecutive_versions_and_leaves_the_outbox()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] clinics = [$"ev-a-{suffix}", $"ev-b-{suffix}"];
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: ReadingQueueEventsOurselves);
        using var http = host.NewHttp();

        await Task.WhenAll(clinics.Select(async clinic =>
        {
            await Task.WhenAll(Enumerable.Range(1, 20).Select(i => http.EnterAsync(clinic, $"U{i}")));
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic }, staff: true)).Status);
            }

            var pin = (await host.StoredStateAsync(clinic))!.Pin;
            Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = "U10", pin })).Status);
            Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = "U11", pin })).Status);
            Assert.Equal(200, (await http.PostAsync("api/v1/queue/reset", new { clinic }, staff: true)).Status);
            Assert.Equal(200, (await http.EnterAsync(clinic, "AFTER_1")).Status);
            Assert.Equal(200, (await http.EnterAsync(clinic, "AFTER_2")).Status);
        }));

        var received = await ReceiveAsync(clinics, expectedPerClinic: 28);

        foreach (var clinic in clinics)
        {
            var arrived = received.Where(e => e.Clinic == clinic).ToList();
            // Consumers order by version (a storage queue keeps no order, and a batch's messages go out in parallel).
            var unique = arrived.DistinctBy(e => e.Id).OrderBy(e => e.Version).ToList();
            Assert.Equal(28, unique.Count);
            Assert.Equal(Enumerable.Range((int)unique[0].Version, 28).Select(v => (long)v), unique.Select(e => e.Version));
            Assert.Equal([1, 2, 3], unique.Where(e => e.Type == QueueEvent.TicketNoShow).Select(e => e.Number!.Value));
            Assert.Equal(["U10", "U11"], unique.Where(e => e.Type == QueueEvent.TicketDone).Select(e => e.User!));
            Assert.Single(unique, e => e.Type == QueueEvent.QueueReset);
            Assert.Equal(["AFTER_1", "AFTER_2"], unique.SkipWhile(e => e.Type != QueueEvent.QueueReset).Skip(1).Select(e => e.User!));
            Assert.Equal(Enumerable.Range(1, 20), unique.TakeWhile(e => e.Type != QueueEvent.QueueReset).Where(e => e.Type == QueueEvent.TicketIssued).Select(e => e.Number!.Value).Order());

            // Published and acknowledged: nothing is left waiting in the entity.
            var stored = await Eventually.UntilAsync(() => host.StoredStateAsync(clinic), s => s is { Outbox: { IsEmpty: true, Publishing: false } }, TimeSpan.FromSeconds(60), "the outbox to drain");
            Assert.Equal(stored!.Version, unique[^1].Version);
        }
    }

    [Fact]
    public async Task Changes_made_before_a_crash_still_arrive_after_a_fresh_host_takes_over()
    {
        var clinic = $"ev-crash-{Guid.NewGuid().ToString("N")[..8]}";
        var hub = AzuriteFixture.NewTaskHubName();
        var settings = ReadingQueueEventsOurselves;
        var visibility = TimeSpan.FromSeconds(15);
        var first = await azurite.StartQueueAppAsync(hub, settings: settings, queueVisibilityTimeout: visibility);
        using (var http = first.NewHttp())
        {
            var replies = await Task.WhenAll(Enumerable.Range(1, 100).Select(i => http.EnterAsync(clinic, $"U{i}")));
            Assert.All(replies, r => Assert.Equal(200, r.Status));
        }

        // Crash while the publisher is still draining the outbox.
        var pending = (await first.StoredStateAsync(clinic))!.Outbox.Count;
        await first.KillAsync();
        output.WriteLine($"{pending} of 100 changes were still in the outbox at the crash");
        await using var second = await azurite.StartQueueAppAsync(hub, settings: settings, queueVisibilityTimeout: visibility);

        var received = await ReceiveAsync([clinic], expectedPerClinic: 100);

        var unique = received.DistinctBy(e => e.Id).OrderBy(e => e.Version).ToList();
        Assert.Equal(Enumerable.Range(1, 100), unique.Select(e => e.Number!.Value));
        await Eventually.UntilAsync(() => second.StoredStateAsync(clinic), s => s is { Outbox: { IsEmpty: true, Publishing: false } }, TimeSpan.FromSeconds(90), "the outbox to drain after the crash");
    }

    [Fact]
    public async Task When_the_queue_refuses_half_the_sends_the_publisher_delivers_what_the_clinics_could_not()
    {
        var clinic = $"ev-flaky-{Guid.NewGuid().ToString("N")[..8]}";
        EveryOtherSendFails? flaky = null;
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(),
            settings: ReadingQueueEventsOurselves,
            sender: services => flaky = new EveryOtherSendFails(services.GetRequiredService<QueueEventsQueue>()));
        using var http = host.NewHttp();

        for (var i = 1; i <= 12; i++)
        {
            Assert.Equal(200, (await http.EnterAsync(clinic, $"U{i}")).Status);
        }

        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic }, staff: true)).Status);
        var received = await ReceiveAsync([clinic], expectedPerClinic: 13);

        var unique = received.DistinctBy(e => e.Id).OrderBy(e => e.Version).ToList();
        Assert.Equal(Enumerable.Range(1, 12), unique.Where(e => e.Type == QueueEvent.TicketIssued).Select(e => e.Number!.Value));
        Assert.Equal(QueueEvent.TicketNoShow, unique[^1].Type);
        Assert.True(flaky!.Failed > 0, "No send was refused: the publisher was not exercised.");
        await Eventually.UntilAsync(() => host.StoredStateAsync(clinic), s => s is { Outbox: { IsEmpty: true, Publishing: false } }, TimeSpan.FromSeconds(60), "the outbox to drain");
        output.WriteLine($"{flaky.Failed} direct sends refused; {received.Count} messages for {unique.Count} changes");
    }

    /// <summary>Takes messages off the queue until each clinic has the expected number of distinct events.</summary>
    private Task<List<QueueEvent>> ReceiveAsync(string[] clinics, int expectedPerClinic) =>
        QueueEventsDrain.ReceiveAsync(
            azurite.ConnectionString,
            clinics,
            received => clinics.All(c => received.Where(e => e.Clinic == c).DistinctBy(e => e.Id).Count() >= expectedPerClinic),
            TimeSpan.FromSeconds(90));
}
