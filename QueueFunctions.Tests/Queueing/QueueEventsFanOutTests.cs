using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace QueueFunctions.Tests.Queueing;

/// <summary>Every registered queue gets every change; a group counts as sent only when all of them took it.</summary>
public sealed class QueueEventsFanOutTests
{
    private static QueueEvent Change(long version) =>
        new($"lab:{version}", "lab", Clinic.Today, version, QueueEvent.TicketIssued, (int)version, $"U{version}", Clinic.Morning);

    [Fact]
    public async Task The_publisher_sends_each_group_to_every_registered_queue()
    {
        var history = new RecordingSender();
        var push = new RecordingSender();
        var publisher = new QueueEventsPublisher([history, push], NullLogger<QueueEventsPublisher>.Instance);
        var batch = Enumerable.Range(1, 45).Select(v => Change(v)).ToList();

        Assert.Equal(45, await publisher.SendAsync(batch));

        Assert.Equal(batch, history.Sent);
        Assert.Equal(batch, push.Sent);
    }

    [Fact]
    public async Task A_group_one_queue_refuses_is_not_counted_as_sent()
    {
        var history = new RecordingSender();
        var push = new RecordingSender { DownAfter = QueueEventsPublisher.SendGroup };
        var publisher = new QueueEventsPublisher([history, push], NullLogger<QueueEventsPublisher>.Instance);
        var batch = Enumerable.Range(1, 45).Select(v => Change(v)).ToList();

        Assert.Equal(QueueEventsPublisher.SendGroup, await publisher.SendAsync(batch));
    }
}
