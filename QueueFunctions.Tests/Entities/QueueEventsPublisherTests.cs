using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Moq;
using QueueFunctions.Entities;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Entities;

public class QueueEventsPublisherTests
{
    private static QueueEvent Change(long version) =>
        new($"lab:{version}", "lab", Clinic.Today, version, QueueEvent.TicketIssued, (int)version, "U" + version, Clinic.Morning);

    [Fact]
    public async Task Each_batch_is_sent_before_it_is_acknowledged_until_the_outbox_is_empty()
    {
        var batches = new Queue<List<QueueEvent>>([[Change(1), Change(2)], [Change(3)], []]);
        var steps = new List<string>();
        var entities = new Mock<TaskOrchestrationEntityFeature>(MockBehavior.Strict);
        entities
            .Setup(e => e.CallEntityAsync<List<QueueEvent>>(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.TakeOutbox, QueueEventsPublisher.BatchSize, null))
            .ReturnsAsync(() =>
            {
                steps.Add("take");
                return batches.Dequeue();
            });
        entities
            .Setup(e => e.CallEntityAsync(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.AcknowledgeOutbox, It.IsAny<object?>(), null))
            .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((_, _, version, _) =>
            {
                steps.Add($"ack {version}");
                return Task.CompletedTask;
            });
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        context.Setup(c => c.GetInput<string>()).Returns("lab");
        context.SetupGet(c => c.Entities).Returns(entities.Object);
        context
            .Setup(c => c.CallActivityAsync(It.Is<TaskName>(n => n.Name == QueueEventsPublisher.ActivityName), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((_, input, _) =>
            {
                steps.Add("send " + string.Join(",", ((List<QueueEvent>)input!).Select(e => e.Version)));
                return Task.CompletedTask;
            });

        await QueueEventsPublisher.RunAsync(context.Object);

        Assert.Equal(["take", "send 1,2", "ack 2", "take", "send 3", "ack 3", "take"], steps);
        entities.Verify(e => e.CallEntityAsync<List<QueueEvent>>(
            It.Is<EntityInstanceId>(id => id.Name == "clinicqueue" && id.Key == "lab"), It.IsAny<string>(), It.IsAny<object?>(), null));
    }

    [Fact]
    public async Task A_long_rush_starts_the_orchestration_afresh_to_keep_its_history_short()
    {
        var entities = new Mock<TaskOrchestrationEntityFeature>();
        entities
            .Setup(e => e.CallEntityAsync<List<QueueEvent>>(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.TakeOutbox, It.IsAny<object?>(), null))
            .ReturnsAsync(() => [Change(1)]);
        var context = new Mock<TaskOrchestrationContext>();
        context.Setup(c => c.GetInput<string>()).Returns("lab");
        context.SetupGet(c => c.Entities).Returns(entities.Object);
        context.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).Returns(Task.CompletedTask);

        await QueueEventsPublisher.RunAsync(context.Object);

        context.Verify(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Exactly(QueueEventsPublisher.RoundsPerGeneration));
        context.Verify(c => c.ContinueAsNew("lab", true), Times.Once);
    }

    [Fact]
    public async Task When_the_queue_stays_down_the_publisher_waits_and_sends_the_same_batch_again()
    {
        var outbox = new List<QueueEvent> { Change(1), Change(2) };
        var steps = new List<string>();
        var entities = new Mock<TaskOrchestrationEntityFeature>();
        entities
            .Setup(e => e.CallEntityAsync<List<QueueEvent>>(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.TakeOutbox, It.IsAny<object?>(), null))
            .ReturnsAsync(() => outbox.ToList());
        entities
            .Setup(e => e.CallEntityAsync(It.IsAny<EntityInstanceId>(), ClinicQueueEntity.Operations.AcknowledgeOutbox, It.IsAny<object?>(), null))
            .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((_, _, version, _) =>
            {
                steps.Add($"ack {version}");
                outbox.RemoveAll(e => e.Version <= (long)version!);
                return Task.CompletedTask;
            });
        var sends = 0;
        var context = new Mock<TaskOrchestrationContext>();
        context.Setup(c => c.GetInput<string>()).Returns("lab");
        context.SetupGet(c => c.Entities).Returns(entities.Object);
        context
            .Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                steps.Add("send " + string.Join(",", ((List<QueueEvent>)input!).Select(e => e.Version)));
                return ++sends == 1
                    ? Task.FromException(new TaskFailedException(name, 1, new TaskFailureDetails("RequestFailedException", "queue unreachable", null, null, null)))
                    : Task.CompletedTask;
            });
        context
            .Setup(c => c.CreateTimer(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns<TimeSpan, CancellationToken>((delay, _) =>
            {
                steps.Add($"wait {delay.TotalSeconds} s");
                return Task.CompletedTask;
            });

        await QueueEventsPublisher.RunAsync(context.Object);

        Assert.Equal(["send 1,2", "wait 60 s", "send 1,2", "ack 2"], steps);
        Assert.Empty(outbox);
    }
}
