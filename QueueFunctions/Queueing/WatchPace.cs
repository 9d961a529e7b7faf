namespace QueueFunctions.Queueing;

/// <param name="WhileConfirming">Between reads while a request waits for its own write: short, it is on the request's critical path.</param>
/// <param name="WhileStreaming">Between reads while only event streams listen: keeps pushes within about a second.</param>
/// <param name="AfterFailure">After a failed read, multiplied by consecutive failures (at most 10 times).</param>
/// <param name="ReadLimit">
/// How long the poll waits for one read before it gives up on it and reads afresh. One read serves every followed clinic,
/// so a read caught in the storage client's own retry pauses when storage comes back must not hold them all.
/// </param>
public sealed record WatchPace(TimeSpan WhileConfirming, TimeSpan WhileStreaming, TimeSpan AfterFailure, TimeSpan ReadLimit)
{
    public static WatchPace Default { get; } =
        new(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
}
