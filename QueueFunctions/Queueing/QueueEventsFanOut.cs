using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// Sends each group of changes to every registered <see cref="IQueueEventsSender"/> at once (<c>queue-events</c>, and any
/// queue another capability registers for its own consumer). A group counts as sent only when every queue took it; a
/// failure sends it to all again, which consumers already tolerate, since delivery is at least once.
/// </summary>
public sealed class QueueEventsFanOut(IEnumerable<IQueueEventsSender> senders)
{
    private readonly IQueueEventsSender[] senders = senders.ToArray();

    public Task SendAsync(IReadOnlyCollection<QueueEvent> events, CancellationToken cancellationToken) =>
        senders.Length == 1
            ? senders[0].SendAsync(events, cancellationToken)
            : Task.WhenAll(senders.Select(sender => sender.SendAsync(events, cancellationToken)));
}
