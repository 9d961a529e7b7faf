using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.History;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Checks;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Outages;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Faults;

/// <summary>
/// Queue events the history recorder gave up on while the table was unreachable are moved back from
/// <c>queue-events-poison</c> by the replay timer once the table answers, and reach the report; a message that is not a
/// queue event stays in the poison queue.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PoisonReplayEngineTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Events_poisoned_during_a_table_outage_are_replayed_once_the_table_answers_and_reach_the_report()
    {
        var clinic = "lab";
        await using var storage = await PrivateAzurite.StartAsync("poison");
        var logs = new CapturedLogs();
        await using var host = await QueueAppHost.StartQueueAppAsync(
            storage.ConnectionString,
            AzuriteFixture.NewTaskHubName(),
            settings: new Dictionary<string, string?>
            {
                // One failed attempt poisons a message, so the test need not ride out the recorder's two and a half minutes.
                ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "1",
                ["History:PoisonReplaySchedule"] = "*/2 * * * * *",
            },
            logs: logs);
        using var http = host.NewHttp();
        var history = host.Services.GetRequiredService<HistoryTable>();
        var day = host.Services.GetRequiredService<QueueRules>().ServiceDayOf(DateTimeOffset.UtcNow);

        // A, B and C enter; A is done: all of it recorded as usual.
        foreach (var user in new[] { "A", "B", "C" })
        {
            Assert.Equal(200, (await http.EnterAsync(clinic, user)).Status);
        }

        var pin = (await host.StoredStateAsync(clinic))!.Pin;
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = "A", pin })).Status);
        await Eventually.UntilAsync(
            () => HistoryAudit.MissingAsync(history, day, new Dictionary<string, int> { [clinic] = 3 }, [(clinic, 1)]), m => m.Count == 0, Patience, "the first tickets in the history");

        // The table goes away just as D and E arrive and B is done: events the recorder can only give up on.
        var version = (await host.StoredStateAsync(clinic))!.Version;
        var at = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(3));
        QueueEvent[] late =
        [
            new($"{clinic}:{version + 1}", clinic, day, version + 1, QueueEvent.TicketIssued, 4, "D", at),
            new($"{clinic}:{version + 2}", clinic, day, version + 2, QueueEvent.TicketIssued, 5, "E", at),
            new($"{clinic}:{version + 3}", clinic, day, version + 3, QueueEvent.TicketDone, 2, "B", at.AddMinutes(1)),
        ];
        await storage.CutTablesAsync();
        var events = new QueueClient(storage.ConnectionString, QueueEventsQueue.Name);
        foreach (var change in late)
        {
            await events.SendMessageAsync(JsonSerializer.Serialize(change, ApiResult.Json));
        }

        await events.SendMessageAsync("not a queue event");
        var poison = new QueueClient(storage.ConnectionString, PoisonQueueEvents.QueueName);
        await Eventually.TrueAsync(async () => await CountAsync(poison) == 4, Patience, "all four messages in the poison queue");

        // While the table does not answer, the replay leaves them where they are.
        var waits = Waits(logs);
        await Eventually.TrueAsync(() => Waits(logs) >= waits + 2, Patience, "two replay runs that find the table unreachable");
        Assert.Equal(4, await CountAsync(poison));

        storage.RestoreTables();
        await Eventually.UntilAsync(
            () => HistoryAudit.MissingAsync(history, day, new Dictionary<string, int> { [clinic] = 5 }, [(clinic, 1), (clinic, 2)]), m => m.Count == 0, Patience, "the replayed events in the history");
        var report = (await http.GetJsonAsync($"api/v1/reports/daily?date={day:yyyy-MM-dd}&clinic={clinic}", staff: true)).Body.GetProperty("clinics")[0];
        Assert.Equal((5, 2), (report.GetProperty("issued").GetInt32(), report.GetProperty("done").GetInt32()));

        // Only the message that is not a queue event is left, and the log says what moved.
        await Eventually.TrueAsync(async () => await CountAsync(poison) == 1, Patience, "the poison queue to hold only the stranger");
        var moved = logs.Entries.Where(e => e.Category.EndsWith(nameof(PoisonQueueEvents), StringComparison.Ordinal) && e.Message.StartsWith("Moved", StringComparison.Ordinal)).ToList();
        Assert.Contains(moved, e => e.Message.StartsWith("Moved 3 queue events", StringComparison.Ordinal));
        output.WriteLine(string.Join(Environment.NewLine, moved.Select(e => e.Message)));
    }

    private static int Waits(CapturedLogs logs) =>
        logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.StartsWith("The history table does not answer", StringComparison.Ordinal));

    private static async Task<int> CountAsync(QueueClient queue) =>
        (await queue.ExistsAsync()).Value ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
}
