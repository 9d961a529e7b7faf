using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using QueueFunctions.Api;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// Reads one clinic's entity state for every listener in this app instance: event streams get each new
/// version, and requests waiting for their own write are released when it shows. Storage reads per
/// clinic depend on this loop's pace alone, not on how many listeners there are; the loop stops when
/// the last listener leaves, and the watcher then leaves its registry.
/// </summary>
public sealed class ClinicWatcher
{
    private readonly object gate = new();
    private readonly HashSet<ClinicSubscription> subscribers = [];
    private readonly List<IWaiter> waiters = [];
    private readonly string clinic;
    private readonly ClinicStateReader reader;
    private readonly WatchPace pace;
    private readonly ILogger logger;
    private readonly Action<ClinicWatcher> released;
    private readonly Action<ClinicWatcher> returned;
    private DurableTaskClient? client;
    private ClinicQueueState? latest;
    private TaskCompletionSource wake = NewWake();
    private bool running;
    private bool isReleased;
    private long lastGoodReadTicks = -1;

    /// <param name="released">Called when the last listener has gone and the loop has stopped.</param>
    /// <param name="returned">Called when a listener comes to this watcher after it was released.</param>
    internal ClinicWatcher(
        string clinic, ClinicStateReader reader, WatchPace pace, ILogger logger, Action<ClinicWatcher> released, Action<ClinicWatcher> returned)
    {
        this.clinic = clinic;
        this.reader = reader;
        this.pace = pace;
        this.logger = logger;
        this.released = released;
        this.returned = returned;
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

    /// <summary>True while the read loop runs, that is while anyone listens.</summary>
    public bool IsRunning
    {
        get
        {
            lock (gate)
            {
                return running;
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

            EnsureRunning(durableClient);
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
            EnsureRunning(durableClient);
            wake.TrySetResult();
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
            wake.TrySetResult();
        }
    }

    private void EnsureRunning(DurableTaskClient durableClient)
    {
        // Every function invocation gets an equivalent client for the same task hub; keep the newest.
        client = durableClient;
        if (isReleased)
        {
            isReleased = false;
            returned(this);
        }

        if (!running)
        {
            running = true;
            _ = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var failures = 0;
        while (true)
        {
            DurableTaskClient current;
            TaskCompletionSource wakeUp;
            lock (gate)
            {
                if (subscribers.Count == 0 && waiters.Count == 0)
                {
                    running = false;
                    isReleased = true;
                    released(this);
                    return;
                }

                current = client!;
                wakeUp = wake = NewWake();
            }

            TimeSpan pause;
            try
            {
                var state = await reader.ReadAsync(current, clinic, CancellationToken.None);
                Interlocked.Exchange(ref lastGoodReadTicks, Environment.TickCount64);
                failures = 0;
                Deliver(state);
                pause = HasWaiters() ? pace.WhileConfirming : pace.WhileStreaming;
            }
            catch (BackendUnavailableException)
            {
                // Listeners keep their last state; waiters time out on their own deadline.
                failures++;
                pause = TimeSpan.FromTicks(Math.Min(pace.AfterFailure.Ticks * failures, pace.AfterFailure.Ticks * 10));
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Watcher of clinic {Clinic} failed a read", clinic);
                failures++;
                pause = pace.AfterFailure;
            }

            await Task.WhenAny(wakeUp.Task, Task.Delay(pause));
        }
    }

    private void Deliver(ClinicQueueState? state)
    {
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

    private bool HasWaiters()
    {
        lock (gate)
        {
            return waiters.Count > 0;
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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
