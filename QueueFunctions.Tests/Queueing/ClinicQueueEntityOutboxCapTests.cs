using Microsoft.Extensions.Logging;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Queueing;

/// <summary>The entity applies <c>Queue:MaxOutbox</c> to what it could not send, and says what it dropped.</summary>
public class ClinicQueueEntityOutboxCapTests
{
    private const int Cap = 10;

    private readonly RecordingSender queue = new();
    private readonly CapturedLogs logs = new(LogLevel.Warning);
    private readonly EntityHarness entity;

    public ClinicQueueEntityOutboxCapTests()
    {
        var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        entity = new EntityHarness("lab", new FixedPins(Clinic.Pin), Clinic.Rules with { MaxOutbox = Cap }, queue, factory.CreateLogger<ClinicQueueEntity>());
    }

    private Task EnterAsync(string user) =>
        entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand(user, "r-" + user, Clinic.Morning));

    [Fact]
    public async Task While_the_queue_stays_down_the_outbox_stops_at_the_cap_and_each_loss_is_logged_as_an_error_naming_the_versions()
    {
        queue.Down = true;

        // The cap counts what earlier batches stored and the queue did not take: an operation's own change is not
        // counted while its batch runs, so the outbox holds one more.
        for (var i = 1; i <= Cap + 1; i++)
        {
            await EnterAsync($"U{i}");
        }

        Assert.Equal(Cap + 1, entity.State.Outbox.Count);
        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Error);

        await EnterAsync("U12");

        // Versions: 1 opened the day, so ticket n was version n + 1.
        Assert.Equal(Cap, entity.State.Outbox.Count);
        Assert.Equal(Enumerable.Range(3, Cap), entity.State.Outbox.Select(e => e.Number!.Value));
        var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("dropped 2 queue events, versions 2 to 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("lab", error.Message, StringComparison.Ordinal);
        Assert.Equal(12, entity.State.LastNumber);
        Assert.Equal(12, entity.State.WaitingCount);
    }

    [Fact]
    public async Task One_operation_with_more_changes_than_the_cap_sends_them_all_when_the_queue_takes_them()
    {
        var many = Enumerable.Range(1, Cap * 3).Select(i => new EnterCommand($"U{i}", $"r{i}", Clinic.Morning)).ToList();

        await entity.RunAsync(ClinicQueueEntity.Operations.EnterMany, many);
        await entity.DeliverSignalsAsync();

        Assert.Equal(Enumerable.Range(1, Cap * 3), queue.Sent.Select(e => e.Number!.Value));
        Assert.Empty(entity.State.Outbox);
        Assert.Empty(logs.Entries);
    }
}
