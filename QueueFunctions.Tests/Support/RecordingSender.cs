using QueueFunctions.Domain;
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

    /// <summary>Once this many changes were taken, every send fails: a queue that goes down midway.</summary>
    public int? DownAfter { get; set; }

    /// <summary>How long each send takes before the queue takes it: a queue that is slow but works.</summary>
    public TimeSpan EachSendTakes { get; set; }

    public async Task SendAsync(IEnumerable<QueueEvent> events, CancellationToken cancellationToken)
    {
        if (Hanging || Sent.Count >= HangsAfter)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (EachSendTakes > TimeSpan.Zero)
        {
            await Task.Delay(EachSendTakes, cancellationToken);
        }

        if (Down || Sent.Count >= DownAfter)
        {
            throw new InvalidOperationException("queue-events is unreachable");
        }

        Sent.AddRange(events);
    }
}
