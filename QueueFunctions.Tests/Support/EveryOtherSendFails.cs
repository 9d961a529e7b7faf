using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Support;

/// <summary>
/// The real <c>queue-events</c> queue, except that every other send fails before anything is sent: the clinic entities
/// then hand half their changes to the publisher orchestration (which sends through the queue itself).
/// </summary>
public sealed class EveryOtherSendFails(QueueEventsQueue queue) : IQueueEventsSender
{
    private int sends;

    public int Failed => Volatile.Read(ref sends) / 2;

    public Task SendAsync(IEnumerable<QueueEvent> events, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref sends) % 2 == 0
            ? Task.FromException(new InvalidOperationException("queue-events refused this send (injected)"))
            : queue.SendAsync(events, cancellationToken);
}
