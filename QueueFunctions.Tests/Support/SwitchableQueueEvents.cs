using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Support;

/// <summary>The real <c>queue-events</c> queue, refusing every send while <see cref="Down"/>: for the clinics and their publishers alike.</summary>
public sealed class SwitchableQueueEvents(QueueEventsQueue queue) : IQueueEventsSender
{
    private int refused;

    public bool Down { get; set; }

    public int Refused => Volatile.Read(ref refused);

    public Task SendAsync(IEnumerable<QueueEvent> events, CancellationToken cancellationToken)
    {
        if (Down)
        {
            Interlocked.Increment(ref refused);
            return Task.FromException(new InvalidOperationException("queue-events refused this send (injected)"));
        }

        return queue.SendAsync(events, cancellationToken);
    }
}
