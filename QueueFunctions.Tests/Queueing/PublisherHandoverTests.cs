using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

/// <summary>
/// What the clinic hands its publisher (only stored changes), and how it notices a publisher that ended badly: silent
/// beyond <see cref="PublisherWatch.SilenceLimit"/>, on the next operation or on the check it scheduled itself.
/// </summary>
public class PublisherHandoverTests
{
    private readonly RecordingSender queue = new() { Down = true };
    private readonly EntityHarness entity;

    public PublisherHandoverTests() => entity = new EntityHarness("lab", new FixedPins(Clinic.Pin), sender: queue);

    private static (string, object?) Enter(string user) => (ClinicQueueEntity.Operations.Enter, new EnterCommand(user, "r-" + user, Clinic.Morning));

    private static (string, object?) Take(string publisher) => (ClinicQueueEntity.Operations.TakeOutbox, new OutboxRequest(publisher, 50));

    /// <summary>A and B stored, the queue down, and a publisher holding the outbox: its instance id.</summary>
    private async Task<string> PublisherHoldingAAndBAsync()
    {
        await entity.RunBatchAsync([Enter("A")]);
        await entity.RunBatchAsync([Enter("B")]);
        await entity.DeliverSignalsAsync();
        return entity.State.Outbox.Publisher!.Id;
    }

    private async Task<IReadOnlyList<QueueEvent>> TakeAsync(string publisher) =>
        Assert.IsAssignableFrom<IReadOnlyList<QueueEvent>>(await entity.RunAsync(ClinicQueueEntity.Operations.TakeOutbox, new OutboxRequest(publisher, 50)));

    [Fact]
    public async Task The_publisher_is_handed_only_changes_that_were_stored_before_the_batch_its_call_runs_in()
    {
        var publisher = await PublisherHoldingAAndBAsync();

        // C's enter and the publisher's call arrive together: one batch, C not stored while it runs.
        var results = await entity.RunBatchAsync([Enter("C"), Take(publisher)]);

        Assert.Equal(["A", "B"], Assert.IsAssignableFrom<IReadOnlyList<QueueEvent>>(results[^1]).Select(e => e.User!));
        Assert.Equal(["A", "B", "C"], entity.State.Outbox.Select(e => e.User!));
        Assert.True(entity.State.Outbox.Publishing);
    }

    [Fact]
    public async Task A_batch_that_is_never_stored_has_handed_the_publisher_nothing_of_its_own()
    {
        var publisher = await PublisherHoldingAAndBAsync();
        queue.Down = false;
        entity.EngineClock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, (await TakeAsync(publisher)).Count);
        await entity.RunAsync(ClinicQueueEntity.Operations.AcknowledgeOutbox, entity.State.Outbox[^1].Version);

        // The publisher's next call runs in a batch with C's enter, and the batch is never stored: C never happened.
        var lost = await entity.RunBatchAsync([Enter("C"), Take(publisher)], stored: false);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<QueueEvent>>(lost[^1]));

        // Run again, in another order, D takes C's version; the publisher's run ends and D goes out with the flush.
        var again = await entity.RunBatchAsync([Enter("D"), Take(publisher)]);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<QueueEvent>>(again[^1]));
        Assert.False(entity.State.Outbox.Publishing);
        Assert.True(entity.State.Outbox.FlushPending);
        Assert.Empty(queue.Sent);

        await entity.DeliverSignalsAsync();

        Assert.Equal([("lab:4", "D")], queue.Sent.Select(e => (e.Id, e.User!)));
        Assert.Empty(entity.State.Outbox);
    }

    [Fact]
    public async Task A_publisher_silent_beyond_the_limit_is_forgotten_by_the_next_operation_which_sends_the_changes_itself()
    {
        var silent = await PublisherHoldingAAndBAsync();
        queue.Down = false;

        // Within the limit the clinic waits for its publisher, however the queue is doing.
        entity.EngineClock.Advance(entity.Watch.SilenceLimit);
        await entity.RunBatchAsync([Enter("C")]);
        await entity.DeliverSignalsAsync();
        Assert.Empty(queue.Sent);
        Assert.Equal(silent, entity.State.Outbox.Publisher!.Id);

        entity.EngineClock.Advance(TimeSpan.FromSeconds(1));
        await entity.RunBatchAsync([Enter("D")]);
        await entity.DeliverSignalsAsync();

        Assert.Equal(["A", "B", "C", "D"], queue.Sent.Select(e => e.User!));
        Assert.Empty(entity.State.Outbox);
        Assert.False(entity.State.Outbox.Publishing);
        Assert.Null(entity.State.Outbox.Publisher);

        // Alive after all: it gets nothing more, and its word about what it sent is still taken.
        Assert.Empty(await TakeAsync(silent));
        Assert.False(entity.State.Outbox.Publishing);
    }

    [Fact]
    public async Task When_the_queue_is_still_down_a_new_publisher_replaces_the_silent_one_and_the_old_one_is_given_nothing()
    {
        var silent = await PublisherHoldingAAndBAsync();
        entity.EngineClock.Advance(entity.Watch.SilenceLimit + TimeSpan.FromSeconds(1));

        await entity.RunBatchAsync([Enter("C")]);

        var replacement = entity.State.Outbox.Publisher!.Id;
        Assert.NotEqual(silent, replacement);
        Assert.Equal(2, entity.StartedOrchestrations.Count);
        Assert.Equal(replacement, entity.StartedOrchestrations[^1].InstanceId);
        Assert.Empty(await TakeAsync(silent));
        Assert.Equal(["A", "B", "C"], (await TakeAsync(replacement)).Select(e => e.User!));

        var none = await entity.RunAsync(ClinicQueueEntity.Operations.AcknowledgeAndTakeOutbox, new OutboxAcknowledgement(entity.State.Outbox[0].Version, 50, silent));
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<QueueEvent>>(none));
        Assert.Equal(["B", "C"], entity.State.Outbox.Select(e => e.User!));
        Assert.Equal(replacement, entity.State.Outbox.Publisher!.Id);
    }

    [Fact]
    public async Task A_clinic_nobody_uses_notices_its_silent_publisher_through_the_check_it_scheduled_itself()
    {
        await PublisherHoldingAAndBAsync();
        queue.Down = false;

        // Not due before the limit has passed.
        entity.EngineClock.Advance(entity.Watch.SilenceLimit);
        await entity.DeliverSignalsAsync();
        Assert.Empty(queue.Sent);

        entity.EngineClock.Advance(PublisherWatch.CheckMargin);
        await entity.DeliverSignalsAsync();

        Assert.Equal(["A", "B"], queue.Sent.Select(e => e.User!));
        Assert.Empty(entity.State.Outbox);
        Assert.False(entity.State.Outbox.Publishing);
        Assert.Empty(entity.Signals);
    }

    [Fact]
    public async Task While_the_publisher_is_heard_from_its_check_comes_again_and_leaves_it_the_outbox()
    {
        var publisher = await PublisherHoldingAAndBAsync();
        entity.EngineClock.Advance(TimeSpan.FromMinutes(4));
        await TakeAsync(publisher);
        var heard = entity.EngineClock.GetUtcNow();

        entity.EngineClock.Advance(TimeSpan.FromMinutes(1) + PublisherWatch.CheckMargin);
        await entity.DeliverSignalsAsync();

        Assert.Equal(publisher, entity.State.Outbox.Publisher!.Id);
        Assert.Empty(queue.Sent);
        var check = Assert.Single(entity.Signals);
        Assert.Equal(ClinicQueueEntity.Operations.CheckPublisher, check.Operation);
        Assert.Equal(heard + entity.Watch.SilenceLimit + PublisherWatch.CheckMargin, check.At);
        Assert.Single(entity.StartedOrchestrations);
    }

    [Fact]
    public async Task A_state_stored_before_publishers_were_named_gets_its_outbox_back_at_once()
    {
        await PublisherHoldingAAndBAsync();
        queue.Down = false;
        entity.Store(entity.State with { Outbox = entity.State.Outbox with { Publisher = null } });

        await entity.RunAsync(ClinicQueueEntity.Operations.Flush, null);

        Assert.Equal(["A", "B"], queue.Sent.Select(e => e.User!));
        Assert.False(entity.State.Outbox.Publishing);
    }

    [Fact]
    public void The_silence_limit_leaves_a_working_publisher_a_minute_of_room_beyond_its_longest_silence()
    {
        Assert.True(
            PublisherWatch.Default.SilenceLimit - QueueEventsPublisher.LongestSilence >= TimeSpan.FromMinutes(1),
            $"A publisher may be silent {QueueEventsPublisher.LongestSilence} while working; the limit is {PublisherWatch.Default.SilenceLimit}.");
    }
}
