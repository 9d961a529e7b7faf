using QueueFunctions.Entities;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Support;

/// <summary>A <c>queue-events</c> stand-in: keeps what it was sent, or fails every send while <see cref="Down"/> or <see cref="Hanging"/>.</summary>
public sealed class RecordingSender : IQueueEventsSender
{
    public List<QueueEvent> Sent { get; } = [];

    public bool Down { get; set; }

    /// <summary>Every send waits until it is cancelled: a queue that neither takes nor refuses.</summary>
    public bool Hanging { get; set; }

    /// <summary>Once this many changes were taken, every send waits until it is cancelled: a queue that slows down.</summary>
    public int? HangsAfter { get; set; }

    public Task SendAsync(IEnumerable<QueueEvent> events, CancellationToken cancellationToken)
    {
        if (Hanging || Sent.Count >= HangsAfter)
        {
            return Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Down)
        {
            return Task.FromException(new InvalidOperationException("queue-events is unreachable"));
        }

        Sent.AddRange(events);
        return Task.CompletedTask;
    }
}
