using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class ClinicQueueEntityTests
{
    private readonly FixedPins pins = new(Clinic.Pin, "7777");
    private readonly EntityHarness entity;

    public ClinicQueueEntityTests() => entity = new EntityHarness("lab", pins);

    [Fact]
    public async Task The_first_operation_opens_the_day_for_the_clinic_of_the_entity_key()
    {
        await entity.RunAsync(ClinicQueueEntity.Operations.Open, new ClinicCommand("o1", Clinic.Morning));

        Assert.Equal("lab", entity.State.Clinic);
        Assert.Equal(Clinic.Today, entity.State.ServiceDay);
        Assert.Equal(Clinic.Pin, entity.State.Pin);
        Assert.Empty(entity.State.Tickets);
    }

    [Fact]
    public async Task Enter_persists_a_numbered_ticket_with_its_request()
    {
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_1", "r1", Clinic.Morning));
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_2", "r2", Clinic.Morning.AddSeconds(1)));

        Assert.Equal(
            [new Ticket(1, "TEST_1", TicketStatus.Waiting, Clinic.Morning, null, "r1"), new Ticket(2, "TEST_2", TicketStatus.Waiting, Clinic.Morning.AddSeconds(1), null, "r2")],
            entity.State.Tickets);
        Assert.Equal(2, entity.State.LastNumber);
    }

    [Fact]
    public async Task A_repeated_enter_persists_no_second_ticket()
    {
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_1", "r1", Clinic.Morning));
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("test_1", "r2", Clinic.Morning.AddSeconds(1)));

        Assert.Equal("r1", Assert.Single(entity.State.Tickets).RequestId);
    }

    [Fact]
    public async Task Done_persists_the_outcome_for_the_caller_to_read_back()
    {
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_1", "r1", Clinic.Morning));
        await entity.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand("TEST_1", Clinic.WrongPin, "bad", Clinic.Morning.AddMinutes(1)));
        await entity.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand("TEST_1", Clinic.Pin, "good", Clinic.Morning.AddMinutes(2)));

        Assert.Equal(ReceiptOutcome.InvalidPin, entity.State.ReceiptFor("bad")!.Outcome);
        Assert.Equal(ReceiptOutcome.Done, entity.State.ReceiptFor("good")!.Outcome);
        Assert.Equal(TicketStatus.Done, Assert.Single(entity.State.Tickets).Status);
    }

    [Fact]
    public async Task Call_and_reset_persist_their_outcomes()
    {
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_1", "r1", Clinic.Morning));
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_2", "r2", Clinic.Morning));
        await entity.RunAsync(ClinicQueueEntity.Operations.Call, new CallCommand("c1", Clinic.Morning.AddMinutes(1)));

        Assert.Equal(TicketStatus.NoShow, entity.State.Tickets[0].Status);
        Assert.Equal(2, entity.State.Current);

        await entity.RunAsync(ClinicQueueEntity.Operations.Reset, new ClinicCommand("x1", Clinic.Morning.AddMinutes(2)));

        Assert.Empty(entity.State.Tickets);
        Assert.Equal(0, entity.State.LastNumber);
        Assert.Equal(ReceiptOutcome.Reset, entity.State.ReceiptFor("x1")!.Outcome);
    }

    [Fact]
    public async Task Operation_names_are_matched_as_the_runtime_sends_them()
    {
        // Durable clients may send operation names in any case.
        await entity.RunAsync("enter", new EnterCommand("TEST_1", "r1", Clinic.Morning));

        Assert.Single(entity.State.Tickets);
    }

    [Fact]
    public async Task The_next_service_day_rolls_over_inside_the_entity()
    {
        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_1", "r1", Clinic.Morning));
        var nextMorning = Clinic.Morning.AddDays(1);

        await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("TEST_2", "r2", nextMorning));

        Assert.Equal(Clinic.Today.AddDays(1), entity.State.ServiceDay);
        Assert.Equal("7777", entity.State.Pin);
        Assert.Equal(1, Assert.Single(entity.State.Tickets).Number);
    }

    [Fact]
    public async Task An_unknown_operation_fails_and_persists_nothing()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => entity.RunAsync("Teleport", new ClinicCommand("t", Clinic.Morning)));

        Assert.Null(entity.Persisted);
    }
}

public class ClinicQueueEntityPublishingTests
{
    private readonly RecordingSender queue = new();
    private readonly EntityHarness entity;

    public ClinicQueueEntityPublishingTests() => entity = new EntityHarness("lab", new FixedPins(Clinic.Pin), sender: queue);

    private static (string, object?) Enter(string user) => (ClinicQueueEntity.Operations.Enter, new EnterCommand(user, "r-" + user, Clinic.Morning));

    [Fact]
    public async Task A_change_is_sent_once_stored_by_the_next_batch_or_by_the_flush_the_clinic_signals_itself()
    {
        await entity.RunBatchAsync([Enter("A")]);

        // Not yet stored while its own batch runs: nothing sent, one flush signalled to the clinic itself.
        Assert.Empty(queue.Sent);
        Assert.Equal(["lab:2"], entity.State.Outbox.Select(e => e.Id));
        var (target, operation, at) = Assert.Single(entity.Signals);
        Assert.Equal(new Microsoft.DurableTask.Entities.EntityInstanceId(ClinicQueueEntity.Name, "lab"), target);
        Assert.Equal(ClinicQueueEntity.Operations.Flush, operation);
        Assert.Null(at);
        Assert.True(entity.State.Outbox.FlushPending);

        // The next batch sends what the one before stored, not its own change, and signals no second flush.
        await entity.RunBatchAsync([Enter("B")]);
        Assert.Equal([("lab:2", "A")], queue.Sent.Select(e => (e.Id, e.User!)));
        Assert.Equal(["lab:3"], entity.State.Outbox.Select(e => e.Id));
        Assert.Single(entity.Signals);

        // The flush sends the rest and, with nothing left, signals nothing more.
        await entity.DeliverSignalsAsync();
        Assert.Equal([("lab:2", "A"), ("lab:3", "B")], queue.Sent.Select(e => (e.Id, e.User!)));
        Assert.Empty(entity.State.Outbox);
        Assert.False(entity.State.Outbox.FlushPending);
        Assert.Empty(entity.Signals);
        Assert.False(entity.State.Outbox.Publishing);
        Assert.Empty(entity.StartedOrchestrations);
    }

    [Fact]
    public async Task A_batch_that_is_never_stored_has_sent_nothing_of_its_own()
    {
        await entity.RunBatchAsync([Enter("A")]);

        // The checkpoint of this batch fails (storage went away): B's ticket and its change never existed.
        await entity.RunBatchAsync([Enter("B"), Enter("C"), (ClinicQueueEntity.Operations.Flush, null)], stored: false);
        Assert.Equal(["A"], queue.Sent.Select(e => e.User!));

        // The engine runs the messages again, in another order: C takes number 2 and version 3 this time.
        await entity.RunBatchAsync([Enter("C"), Enter("B")]);
        await entity.DeliverSignalsAsync();

        Assert.Equal([("lab:2", "A", 1), ("lab:2", "A", 1), ("lab:3", "C", 2), ("lab:4", "B", 3)], queue.Sent.Select(e => (e.Id, e.User!, e.Number!.Value)));
        Assert.Single(queue.Sent, e => e.Id == "lab:3");
    }

    [Fact]
    public async Task Changes_of_one_batch_wait_for_it_to_be_stored_however_many_operations_it_has()
    {
        await entity.RunBatchAsync([Enter("A"), Enter("B"), Enter("C")]);

        Assert.Empty(queue.Sent);
        Assert.Single(entity.Signals);

        await entity.DeliverSignalsAsync();

        Assert.Equal(["A", "B", "C"], queue.Sent.Select(e => e.User!));
        Assert.Empty(entity.State.Outbox);
    }

    [Fact]
    public async Task When_the_queue_fails_the_change_stays_in_the_outbox_and_one_publisher_takes_it_over()
    {
        queue.Down = true;

        await entity.RunBatchAsync([Enter("A")]);
        await entity.RunBatchAsync([Enter("B")]);
        await entity.DeliverSignalsAsync();

        var (name, input, instanceId) = Assert.Single(entity.StartedOrchestrations);
        Assert.Equal(QueueEventsPublisher.OrchestratorName, name);
        Assert.Equal("lab", input);
        Assert.StartsWith("queue-events-lab-", instanceId);
        Assert.True(entity.State.Outbox.Publishing);
        Assert.Equal(new PublisherLease(instanceId, entity.EngineClock.GetUtcNow()), entity.State.Outbox.Publisher);
        Assert.Equal(["A", "B"], entity.State.Outbox.Select(e => e.User!));
        Assert.Equal(2, entity.State.Tickets.Count);
        Assert.Empty(queue.Sent);

        // The clinic will look again once the publisher could have been silent for too long.
        var check = Assert.Single(entity.Signals);
        Assert.Equal(ClinicQueueEntity.Operations.CheckPublisher, check.Operation);
        Assert.Equal(entity.EngineClock.GetUtcNow() + entity.Watch.SilenceLimit + PublisherWatch.CheckMargin, check.At);
    }

    [Fact]
    public async Task A_queue_that_does_not_answer_holds_the_batch_up_only_for_the_send_budget()
    {
        await entity.RunBatchAsync([Enter("A")]);
        queue.Hanging = true;
        var started = System.Diagnostics.Stopwatch.StartNew();

        await entity.RunBatchAsync([Enter("B")]);

        // The budget's timer and the stopwatch tick apart by up to a few milliseconds.
        Assert.InRange(started.Elapsed, ClinicQueueEntity.SendBudget - TimeSpan.FromMilliseconds(50), ClinicQueueEntity.SendBudget * 3);
        Assert.Equal(2, entity.State.WaitingCount);
        Assert.True(entity.State.Outbox.Publishing);
        Assert.Single(entity.StartedOrchestrations);
    }

    [Fact]
    public async Task A_slow_queue_that_still_works_holds_a_batch_up_only_for_the_send_budget_and_the_rest_goes_with_the_next()
    {
        // Five groups of stored changes and a queue that takes 400 ms a group: sending them all would hold the batch 2 s.
        var many = Enumerable.Range(1, ClinicQueueEntity.SendChunk * 5).Select(i => new EnterCommand($"U{i}", $"r{i}", Clinic.Morning)).ToList();
        await entity.RunAsync(ClinicQueueEntity.Operations.EnterMany, many);
        queue.EachSendTakes = TimeSpan.FromMilliseconds(400);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await entity.DeliverSignalsAsync();

        // Two groups fit in the budget on an idle machine, one on a busy one; either way the batch did not wait for more.
        Assert.InRange(started.Elapsed, TimeSpan.Zero, ClinicQueueEntity.SendBudget + TimeSpan.FromMilliseconds(500));
        Assert.InRange(queue.Sent.Count, ClinicQueueEntity.SendChunk, ClinicQueueEntity.SendChunk * 2);
        Assert.Equal(Enumerable.Range(1, queue.Sent.Count), queue.Sent.Select(e => e.Number!.Value));
        Assert.Equal(many.Count - queue.Sent.Count, entity.State.Outbox.Count);
        Assert.True(entity.State.Outbox.FlushPending);
        Assert.False(entity.State.Outbox.Publishing);

        // The clinic drains its backlog itself, a budget per batch, with no orchestration (five batches at most).
        for (var flush = 0; flush < 5 && entity.Signals.Count > 0; flush++)
        {
            await entity.DeliverSignalsAsync();
        }

        Assert.Equal(Enumerable.Range(1, many.Count), queue.Sent.Select(e => e.Number!.Value));
        Assert.Empty(entity.StartedOrchestrations);
    }

    [Fact]
    public async Task A_queue_that_slows_down_keeps_what_it_took_and_the_rest_goes_with_later_batches_without_a_publisher()
    {
        var many = Enumerable.Range(1, (ClinicQueueEntity.SendChunk * 2) + 50).Select(i => new EnterCommand($"U{i}", $"r{i}", Clinic.Morning)).ToList();
        await entity.RunAsync(ClinicQueueEntity.Operations.EnterMany, many);
        queue.HangsAfter = ClinicQueueEntity.SendChunk;

        await entity.DeliverSignalsAsync();

        // One chunk taken and acknowledged, the rest still in the outbox with a flush on its way; no publisher.
        Assert.Equal(Enumerable.Range(1, ClinicQueueEntity.SendChunk), queue.Sent.Select(e => e.Number!.Value));
        Assert.Equal(ClinicQueueEntity.SendChunk + 50, entity.State.Outbox.Count);
        Assert.False(entity.State.Outbox.Publishing);
        Assert.Empty(entity.StartedOrchestrations);
        Assert.True(entity.State.Outbox.FlushPending);

        queue.HangsAfter = null;
        await entity.DeliverSignalsAsync();

        Assert.Equal(Enumerable.Range(1, many.Count), queue.Sent.Select(e => e.Number!.Value));
        Assert.Empty(entity.State.Outbox);
        Assert.False(entity.State.Outbox.FlushPending);
    }

    [Fact]
    public async Task Once_the_publisher_has_drained_the_outbox_operations_send_their_changes_again()
    {
        queue.Down = true;
        await entity.RunBatchAsync([Enter("A")]);
        await entity.DeliverSignalsAsync();
        queue.Down = false;

        // While the publisher owns the outbox, operations leave their changes to it.
        await entity.RunBatchAsync([Enter("B")]);
        await entity.DeliverSignalsAsync();
        Assert.Empty(queue.Sent);
        var publisher = entity.State.Outbox.Publisher!.Id;
        var batch = Assert.IsAssignableFrom<IReadOnlyList<QueueEvent>>(await entity.RunAsync(ClinicQueueEntity.Operations.TakeOutbox, new OutboxRequest(publisher, 50)));
        var none = Assert.IsAssignableFrom<IReadOnlyList<QueueEvent>>(
            await entity.RunAsync(ClinicQueueEntity.Operations.AcknowledgeAndTakeOutbox, new OutboxAcknowledgement(batch[^1].Version, 50, publisher)));

        Assert.Equal(["A", "B"], batch.Select(e => e.User!));
        Assert.Empty(none);
        Assert.False(entity.State.Outbox.Publishing);
        Assert.Null(entity.State.Outbox.Publisher);

        await entity.RunAsync(ClinicQueueEntity.Operations.Call, new CallCommand("c", Clinic.Morning.AddMinutes(1)));
        await entity.DeliverSignalsAsync();

        Assert.Equal([QueueEvent.TicketNoShow], queue.Sent.Select(e => e.Type));
        Assert.Empty(entity.State.Outbox);
        Assert.Single(entity.StartedOrchestrations);
    }

    [Fact]
    public async Task Operations_that_change_no_ticket_send_nothing()
    {
        await entity.RunAsync(ClinicQueueEntity.Operations.Open, new ClinicCommand("o", Clinic.Morning));
        await entity.RunAsync(ClinicQueueEntity.Operations.Call, new CallCommand("c", Clinic.Morning));
        await entity.DeliverSignalsAsync();

        Assert.Empty(queue.Sent);
        Assert.Empty(entity.Signals);
        Assert.Empty(entity.StartedOrchestrations);
    }
}

public class EnterManyTests
{
    [Fact]
    public async Task One_signal_can_carry_many_enters_applied_in_order_and_still_idempotent()
    {
        var entity = new EntityHarness("lab", new FixedPins(Clinic.Pin));
        IReadOnlyList<EnterCommand> batch =
        [
            new("A", "r1", Clinic.Morning),
            new("B", "r2", Clinic.Morning),
            new("a", "r3", Clinic.Morning),
            new("C", "r4", Clinic.Morning),
        ];

        await entity.RunAsync(ClinicQueueEntity.Operations.EnterMany, batch);

        Assert.Equal([("A", 1, "r1"), ("B", 2, "r2"), ("C", 3, "r4")], entity.State.Tickets.Select(t => (t.User, t.Number, t.RequestId)));
        Assert.Equal(1, entity.Writes);
        await entity.DeliverSignalsAsync();
        Assert.Equal([1, 2, 3], ((RecordingSender)entity.Sender).Sent.Select(e => e.Number!.Value));
    }
}

public class EnterCoalescerTests
{
    [Fact]
    public async Task Enters_arriving_while_a_signal_is_sent_go_together_in_the_next_one()
    {
        var sent = new List<IReadOnlyList<EnterCommand>>();
        var firstSend = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coalescer = new EnterCoalescer(async (_, commands) =>
        {
            lock (sent)
            {
                sent.Add(commands);
            }

            if (sent.Count == 1)
            {
                await firstSend.Task;
            }
        });
        var client = new Moq.Mock<Microsoft.DurableTask.Client.DurableTaskClient>("test").Object;

        var first = coalescer.EnqueueAsync(client, new EnterCommand("U0", "r0", Clinic.Morning));
        await Eventually.TrueAsync(() => sent.Count == 1, TimeSpan.FromSeconds(10));
        var rest = Enumerable.Range(1, 250).Select(i => coalescer.EnqueueAsync(client, new EnterCommand($"U{i}", $"r{i}", Clinic.Morning))).ToList();
        firstSend.SetResult();
        await Task.WhenAll(rest.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 100, 100, 50], sent.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 251).Select(i => $"U{i}"), sent.SelectMany(b => b).Select(c => c.User));
    }

    [Fact]
    public async Task A_failed_signal_fails_every_enter_it_carried_and_the_next_ones_still_go()
    {
        var calls = 0;
        var coalescer = new EnterCoalescer((_, _) => Interlocked.Increment(ref calls) == 1 ? Task.FromException(new IOException("storage down")) : Task.CompletedTask);
        var client = new Moq.Mock<Microsoft.DurableTask.Client.DurableTaskClient>("test").Object;

        await Assert.ThrowsAsync<IOException>(() => coalescer.EnqueueAsync(client, new EnterCommand("A", "r1", Clinic.Morning)));
        await coalescer.EnqueueAsync(client, new EnterCommand("B", "r2", Clinic.Morning)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, calls);
    }
}
