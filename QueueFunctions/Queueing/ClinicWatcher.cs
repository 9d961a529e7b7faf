using Microsoft.DurableTask.Client;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// One clinic's listeners in this app instance: event streams get each new version, and requests waiting for their own
/// write are released when it shows. The clinic's state is read by its registry's poll (<see cref="ClinicWatchers"/>),
/// which reads every followed clinic of the instance together, so storage reads depend on that poll's pace alone, not
/// on how many listeners or clinics there are. The watcher leaves the poll, and its registry, when its last listener
/// leaves.
/// </summary>
public sealed class ClinicWatcher
{
    private readonly object gate = new();
    private readonly HashSet<ClinicSubscription> subscribers = [];
    private readonly List<IWaiter> waiters = [];
    private readonly string clinic;
    private readonly Action<ClinicWatcher, DurableTaskClient, bool> joined;
    private readonly Action<ClinicWatcher> released;
    private ClinicQueueState? latest;
    private bool polled;
    private long lastGoodReadTicks = -1;

    /// <param name="joined">
    /// Called with each new listener's client: the watcher's clinic must be polled (again), and read at once when the
    /// flag is set (a request waits).
    /// </param>
    /// <param name="released">Called when the last listener has gone and the watcher has left the poll.</param>
    internal ClinicWatcher(string clinic, Action<ClinicWatcher, DurableTaskClient, bool> joined, Action<ClinicWatcher> released)
    {
        this.clinic = clinic;
        this.joined = joined;
        this.released = released;
    }

    public string Clinic => clinic;

    /// <summary>The newest state this watcher has read, if any.</summary>
    public ClinicQueueState? Latest
    {
        get
        {
            lock (gate)
            {
                return latest;
            }
        }
    }

    /// <summary>
    /// How long ago the last read succeeded; null before the first. While storage is unreachable this grows, so
    /// streams can tell their listeners instead of repeating a state that may be out of date.
    /// </summary>
    public TimeSpan? SinceLastGoodRead
    {
        get
        {
            var ticks = Interlocked.Read(ref lastGoodReadTicks);
            return ticks < 0 ? null : TimeSpan.FromMilliseconds(Environment.TickCount64 - ticks);
        }
    }

    /// <summary>True while the clinic is polled, that is while anyone listens.</summary>
    public bool IsRunning
    {
        get
        {
            lock (gate)
            {
                return polled;
            }
        }
    }

    /// <summary>True while a request waits for its write to show: the poll then reads at its fastest.</summary>
    internal bool HasWaiters
    {
        get
        {
            lock (gate)
            {
                return waiters.Count > 0;
            }
        }
    }

    public int Listeners
    {
        get
        {
            lock (gate)
            {
                return subscribers.Count + waiters.Count;
            }
        }
    }

    /// <summary>Follows every change of the clinic's queue until the subscription is disposed.</summary>
    public ClinicSubscription Subscribe(DurableTaskClient durableClient)
    {
        var subscription = new ClinicSubscription(Unsubscribe);
        lock (gate)
        {
            subscribers.Add(subscription);
            if (latest is not null)
            {
                subscription.Publish(latest);
            }

            Join(durableClient, readNow: false);
        }

        return subscription;
    }

    /// <summary>Waits until a state read after this call satisfies <paramref name="match"/>.</summary>
    public async Task<T> WaitForAsync<T>(DurableTaskClient durableClient, Func<ClinicQueueState, T?> match, CancellationToken cancellationToken)
        where T : class
    {
        var waiter = new Waiter<T>(match);
        lock (gate)
        {
            waiters.Add(waiter);
            Join(durableClient, readNow: true);
        }

        try
        {
            return await waiter.Result.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (gate)
            {
                waiters.Remove(waiter);
            }
        }
    }

    private void Unsubscribe(ClinicSubscription subscription)
    {
        lock (gate)
        {
            subscribers.Remove(subscription);
        }
    }

    private void Join(DurableTaskClient durableClient, bool readNow)
    {
        polled = true;
        joined(this, durableClient, readNow);
    }

    /// <summary>Leaves the poll if nobody listens any more; called by the poll before each read.</summary>
    /// <returns>True when the watcher has left.</returns>
    internal bool TryRelease()
    {
        lock (gate)
        {
            if (subscribers.Count > 0 || waiters.Count > 0)
            {
                return false;
            }

            // Under the gate, so a listener arriving now finds the watcher out of the poll and joins it again.
            polled = false;
            released(this);
            return true;
        }
    }

    /// <summary>Hands a state the poll read to every listener; a clinic never used has none.</summary>
    internal void Deliver(ClinicQueueState? state)
    {
        Interlocked.Exchange(ref lastGoodReadTicks, Environment.TickCount64);
        if (state is null)
        {
            return;
        }

        lock (gate)
        {
            if (latest is null || state.Version != latest.Version)
            {
                latest = state;
                foreach (var subscriber in subscribers)
                {
                    subscriber.Publish(state);
                }
            }

            foreach (var waiter in waiters)
            {
                waiter.Offer(state);
            }
        }
    }

    private interface IWaiter
    {
        void Offer(ClinicQueueState state);
    }

    private sealed class Waiter<T>(Func<ClinicQueueState, T?> match) : IWaiter
        where T : class
    {
        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Offer(ClinicQueueState state)
        {
            if (!Result.Task.IsCompleted && match(state) is { } found)
            {
                Result.TrySetResult(found);
            }
        }
    }
}
