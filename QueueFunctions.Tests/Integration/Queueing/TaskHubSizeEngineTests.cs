using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.History;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Queueing;

/// <summary>The task hub stays the size of the clinics, not of the traffic: finished publisher runs are purged hourly.</summary>
[Collection(EngineCollection.Name)]
public sealed class TaskHubSizeEngineTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Purge = PurgeFinishedOrchestrationsFunction.Name;

    [Fact]
    public async Task After_a_week_of_traffic_the_hourly_purge_leaves_only_the_clinics_entities()
    {
        var hub = AzuriteFixture.NewTaskHubName();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string[] clinics = [$"week-a-{suffix}", $"week-b-{suffix}"];
        // 06:00 in Doha on days after today: the purge compares its clock with the storage's own creation times.
        var firstDay = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(3), TimeSpan.Zero);
        var time = new FakeTimeProvider(firstDay);

        // A week of days with the purge switched off, as the task hub grew before there was one.
        await using (var host = await StartAsync(hub, time, purge: false))
        {
            using var http = host.NewHttp();
            for (var day = 0; day < 7; day++)
            {
                time.SetUtcNow(firstDay.AddDays(day));
                foreach (var clinic in clinics)
                {
                    for (var i = 0; i < 8; i++)
                    {
                        time.Advance(TimeSpan.FromMinutes(3));
                        Assert.Equal(200, (await http.EnterAsync(clinic, $"D{day}U{i}")).Status);
                    }

                    for (var i = 0; i < 4; i++)
                    {
                        time.Advance(TimeSpan.FromMinutes(3));
                        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = $"D{day}U{i}", pin = Clinic.Pin })).Status);
                    }

                    await Eventually.UntilAsync(() => host.StoredStateAsync(clinic), s => s is { Outbox: { IsEmpty: true, Publishing: false } }, TimeSpan.FromSeconds(60), "the outbox to drain");
                }
            }

            // A publisher that has emptied the outbox still has to record its own completion: the purge takes only
            // finished runs, so wait for every run to have finished before counting.
            await Eventually.TrueAsync(
                async () => (await PublisherStatusesAsync(hub)).All(status => status == "Completed"), TimeSpan.FromSeconds(60), "every publisher run to complete");
        }

        var (instancesBefore, historyBefore) = await SizeAsync(hub);
        output.WriteLine($"After a week ({7 * clinics.Length * 12} changes) without purging: {instancesBefore} instance rows, {historyBefore} history rows");
        Assert.True(instancesBefore > clinics.Length, "The week should have left finished publisher runs behind.");

        // The hourly purge, on the next hour's run.
        await using var purging = await StartAsync(hub, time, purge: true);
        var next = NextRun(time.GetUtcNow());
        await Eventually.TrueAsync(() => purging.NextTimerOccurrence(Purge) == next, TimeSpan.FromSeconds(30), $"the purge to wait for {next:HH:mm}");
        time.Advance(next - time.GetUtcNow() + TimeSpan.FromSeconds(1));

        var after = await Eventually.UntilAsync(() => SizeAsync(hub), size => size.Instances == clinics.Length, TimeSpan.FromSeconds(60), "only the clinics' entities to be left");
        output.WriteLine($"After the purge: {after.Instances} instance rows (the clinics' entities), {after.History} history rows");
        Assert.True(after.History < historyBefore);
        Assert.All(await InstanceIdsAsync(hub), id => Assert.StartsWith("@clinicqueue@", id));
    }

    /// <summary>
    /// The app with every other direct send of the clinics' changes refused, so that publisher orchestrations run and
    /// finish as they do whenever the queue is slow or down (with it up, the entities send their changes themselves).
    /// </summary>
    private Task<LocalQueueHost> StartAsync(string hub, TimeProvider time, bool purge) =>
        azurite.StartQueueAppAsync(hub, time, new FixedPins(Clinic.Pin), new Dictionary<string, string?>
        {
            ["Queue:Clinics"] = "",
            [$"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled"] = "true",
            [$"AzureWebJobs.{Purge}.Disabled"] = purge ? "false" : "true",
        }, sender: services => new EveryOtherSendFails(services.GetRequiredService<QueueEventsQueue>()));

    /// <summary>The purge's next occurrence: minute 41 of this hour, or of the next.</summary>
    private static DateTimeOffset NextRun(DateTimeOffset now)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        return now.Minute < 41 ? hour.AddMinutes(41) : hour.AddHours(1).AddMinutes(41);
    }

    private async Task<TaskHubSize> SizeAsync(string hub) =>
        new((await InstanceIdsAsync(hub)).Count, await CountAsync(new TableClient(azurite.ConnectionString, hub + "History")));

    private async Task<List<string>> InstanceIdsAsync(string hub)
    {
        var ids = new List<string>();
        await foreach (var row in new TableClient(azurite.ConnectionString, hub + "Instances").QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            ids.Add(row.PartitionKey);
        }

        return ids;
    }

    /// <summary>The runtime status of every orchestration (not entity) instance of the task hub.</summary>
    private async Task<List<string>> PublisherStatusesAsync(string hub)
    {
        var statuses = new List<string>();
        await foreach (var row in new TableClient(azurite.ConnectionString, hub + "Instances").QueryAsync<TableEntity>(select: ["PartitionKey", "RuntimeStatus"]))
        {
            if (!row.PartitionKey.StartsWith('@'))
            {
                statuses.Add(row.GetString("RuntimeStatus") ?? "");
            }
        }

        return statuses;
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }

    private sealed record TaskHubSize(int Instances, int History);
}
