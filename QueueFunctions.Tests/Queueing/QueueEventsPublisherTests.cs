using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Moq;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class QueueEventsPublisherTests
{
    /// <summary>The publisher's instance id, by which the clinic knows it.</summary>
    private const string Instance = "queue-events-lab-7-0a1b2c3d";

    private static QueueEvent Change(long version) =>
        new($"lab:{version}", "lab", Clinic.Today, version, QueueEvent.TicketIssued, (int)version, "U" + version, Clinic.Morning);

    /// <summary>A clinic's outbox as the entity keeps it, answering the publisher's calls and logging them.</summary>
    private sealed class FakeOutbox(IEnumerable<long> versions, List<string> steps)
    {
        private readonly List<QueueEvent> pending = versions.Select(Change).ToList();

        public int Left => pending.Count;

        public Mock<TaskOrchestrationEntityFeature> Entities()
        {
            var entities = new Mock<TaskOrchestrationEntityFeature>(MockBehavior.Strict);
            entities
                .Setup(e => e.CallEntityAsync<List<QueueEvent>>(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.TakeOutbox, It.IsAny<object?>(), null))
                .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((_, _, input, _) =>
                {
                    Assert.Equal(new OutboxRequest(Instance, QueueEventsPublisher.BatchSize), input);
                    steps.Add("take");
                    return Task.FromResult(Take());
                });
            entities
                .Setup(e => e.CallEntityAsync<List<QueueEvent>>(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.AcknowledgeAndTakeOutbox, It.IsAny<object?>(), null))
                .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((_, _, input, _) =>
                {
                    var acknowledgement = (OutboxAcknowledgement)input!;
                    steps.Add($"ack {acknowledgement.Version}, take");
                    Assert.Equal(QueueEventsPublisher.BatchSize, acknowledgement.Max);
                    Assert.Equal(Instance, acknowledgement.Publisher);
                    pending.RemoveAll(e => e.Version <= acknowledgement.Version);
                    return Task.FromResult(Take());
                });
            entities
                .Setup(e => e.CallEntityAsync(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.AcknowledgeOutbox, It.IsAny<object?>(), null))
                .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((_, _, version, _) =>
                {
                    steps.Add($"ack {version}");
                    pending.RemoveAll(e => e.Version <= (long)version!);
                    return Task.CompletedTask;
                });
            return entities;
        }

        private List<QueueEvent> Take() => pending.Take(QueueEventsPublisher.BatchSize).ToList();
    }

    /// <param name="send">The activity's outcome by attempt: the version up to which it sent, or a failure; all of it by default.</param>
    private static Mock<TaskOrchestrationContext> Publisher(Mock<TaskOrchestrationEntityFeature> entities, List<string> steps, Func<int, List<QueueEvent>, Task<long>>? send = null)
    {
        var sends = 0;
        var context = new Mock<TaskOrchestrationContext>();
        context.Setup(c => c.GetInput<string>()).Returns("lab");
        context.SetupGet(c => c.InstanceId).Returns(Instance);
        context.SetupGet(c => c.Entities).Returns(entities.Object);
        context
            .Setup(c => c.CallActivityAsync<long>(It.Is<TaskName>(n => n.Name == QueueEventsPublisher.ActivityName), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((_, input, _) =>
            {
                var batch = (List<QueueEvent>)input!;
                steps.Add(batch.Count <= 3 ? "send " + string.Join(",", batch.Select(e => e.Version)) : $"send {batch[0].Version}..{batch[^1].Version}");
                return send?.Invoke(++sends, batch) ?? Task.FromResult(batch[^1].Version);
            });
        context
            .Setup(c => c.CreateTimer(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns<TimeSpan, CancellationToken>((delay, _) =>
            {
                steps.Add($"wait {delay.TotalSeconds} s");
                return Task.CompletedTask;
            });
        return context;
    }

    [Fact]
    public async Task Each_batch_is_sent_before_it_is_acknowledged_and_the_next_is_taken_in_the_same_call()
    {
        var steps = new List<string>();
        var outbox = new FakeOutbox([1, 2], steps);
        var entities = outbox.Entities();
        var context = Publisher(entities, steps);

        await QueueEventsPublisher.RunAsync(context.Object);

        Assert.Equal(["take", "send 1,2", "ack 2, take"], steps);
        Assert.Equal(0, outbox.Left);
        entities.Verify(e => e.CallEntityAsync<List<QueueEvent>>(
            It.Is<EntityInstanceId>(id => id.Name == "clinicqueue" && id.Key == "lab"), It.IsAny<string>(), It.IsAny<object?>(), null));
        context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task A_long_rush_acknowledges_its_last_batch_and_starts_the_orchestration_afresh_to_keep_its_history_short()
    {
        var steps = new List<string>();
        var outbox = new FakeOutbox(Enumerable.Range(1, (QueueEventsPublisher.RoundsPerGeneration + 1) * QueueEventsPublisher.BatchSize).Select(v => (long)v), steps);
        var context = Publisher(outbox.Entities(), steps);

        await QueueEventsPublisher.RunAsync(context.Object);

        var sent = QueueEventsPublisher.RoundsPerGeneration * QueueEventsPublisher.BatchSize;
        Assert.Equal(QueueEventsPublisher.RoundsPerGeneration, steps.Count(s => s.StartsWith("send", StringComparison.Ordinal)));
        Assert.Equal($"ack {sent}", steps[^1]);
        Assert.Equal(QueueEventsPublisher.BatchSize, outbox.Left);
        context.Verify(c => c.ContinueAsNew("lab", true), Times.Once);
    }

    [Fact]
    public async Task When_the_queue_stays_down_the_publisher_waits_and_starts_afresh_to_send_the_same_batch_again()
    {
        var steps = new List<string>();
        var outbox = new FakeOutbox([1, 2], steps);
        var context = Publisher(outbox.Entities(), steps, (send, batch) => send == 1
            ? Task.FromException<long>(new TaskFailedException(new TaskName(QueueEventsPublisher.ActivityName), 1, new TaskFailureDetails("RequestFailedException", "queue unreachable", null, null, null)))
            : Task.FromResult(batch[^1].Version));

        await QueueEventsPublisher.RunAsync(context.Object);

        // Nothing acknowledged: the next generation takes the same batch again.
        Assert.Equal(["take", "send 1,2", "wait 60 s"], steps);
        Assert.Equal(2, outbox.Left);
        context.Verify(c => c.ContinueAsNew("lab", true), Times.Once);

        steps.Clear();
        await QueueEventsPublisher.RunAsync(context.Object);

        Assert.Equal(["take", "send 1,2", "ack 2, take"], steps);
        Assert.Equal(0, outbox.Left);
    }

    [Fact]
    public async Task When_the_queue_took_only_part_of_a_batch_only_that_part_is_acknowledged_and_the_rest_is_taken_again()
    {
        var steps = new List<string>();
        var outbox = new FakeOutbox([1, 2, 3], steps);
        var context = Publisher(outbox.Entities(), steps, (send, batch) => Task.FromResult(send == 1 ? 1L : batch[^1].Version));

        await QueueEventsPublisher.RunAsync(context.Object);

        Assert.Equal(["take", "send 1,2,3", "ack 1, take", "send 2,3", "ack 3, take"], steps);
        Assert.Equal(0, outbox.Left);
    }

    [Fact]
    public async Task The_activity_hands_back_how_far_the_queue_took_the_batch_and_fails_only_when_it_took_nothing()
    {
        var queue = new RecordingSender { DownAfter = QueueEventsPublisher.SendGroup };
        var activity = new QueueEventsPublisher([queue], Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueEventsPublisher>.Instance);
        var batch = Enumerable.Range(1, 50).Select(v => Change(v)).ToList();

        Assert.Equal(QueueEventsPublisher.SendGroup, await activity.SendAsync(batch));
        await Assert.ThrowsAnyAsync<Exception>(() => activity.SendAsync(batch.Skip(QueueEventsPublisher.SendGroup).ToList()));

        queue.DownAfter = null;
        Assert.Equal(50, await activity.SendAsync(batch.Skip(QueueEventsPublisher.SendGroup).ToList()));
        Assert.Equal(Enumerable.Range(1, 50).Select(v => (long)v), queue.Sent.Select(e => e.Version));
    }
}
