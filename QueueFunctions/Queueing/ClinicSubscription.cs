using System.Threading.Channels;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// One listener's view of a clinic's watcher. Only the newest state matters to a listener, so a slow
/// reader is never queued behind states it would skip anyway.
/// </summary>
public sealed class ClinicSubscription : IDisposable
{
    private readonly Channel<ClinicQueueState> changes =
        Channel.CreateBounded<ClinicQueueState>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Action<ClinicSubscription> unsubscribe;
    private int disposed;

    internal ClinicSubscription(Action<ClinicSubscription> unsubscribe) => this.unsubscribe = unsubscribe;

    internal void Publish(ClinicQueueState state) => changes.Writer.TryWrite(state);

    /// <summary>The next changed state, or null if none came within <paramref name="timeout"/>.</summary>
    public async Task<ClinicQueueState?> NextChangeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (changes.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            return await changes.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            changes.Writer.TryComplete();
            unsubscribe(this);
        }
    }
}
