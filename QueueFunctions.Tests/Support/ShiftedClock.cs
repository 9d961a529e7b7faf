namespace QueueFunctions.Tests.Support;

/// <summary>
/// The real clock moved to start at <paramref name="start"/>: time passes (heartbeats and timed closes happen), but
/// on the same service day as a backend whose fake clock stands at that moment, whatever today's real date is.
/// </summary>
public sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
