using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// Where a clinic's changes go: the <c>queue-events</c> storage queue, and any queue another capability registers for
/// its own consumer (each registered sender gets every change, <see cref="QueueEventsFanOut"/>).
/// </summary>
public interface IQueueEventsSender
{
    /// <summary>Sends every change, or fails (throws) having sent some, none or all: delivery is at least once.</summary>
    Task SendAsync(IEnumerable<QueueEvent> events, CancellationToken cancellationToken);
}
