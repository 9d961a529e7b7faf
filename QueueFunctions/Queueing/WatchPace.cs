namespace QueueFunctions.Queueing;

/// <param name="WhileConfirming">Between reads while a request waits for its own write: short, it is on the request's critical path.</param>
/// <param name="WhileStreaming">Between reads while only event streams listen: keeps pushes within about a second.</param>
/// <param name="AfterFailure">After a failed read, multiplied by consecutive failures (at most 10 times).</param>
public sealed record WatchPace(TimeSpan WhileConfirming, TimeSpan WhileStreaming, TimeSpan AfterFailure)
{
    public static WatchPace Default { get; } = new(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
}
