using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using QueueFunctions.Api;

namespace QueueFunctions.Queueing;

/// <summary>
/// This app instance's watchers, one per clinic in use, and the one poll that reads their clinics. Each pass reads every
/// followed clinic together (<see cref="ClinicStateReader.ReadManyAsync"/>: one query however many clinics are busy),
/// so a rush over sixteen clinics costs the storage account what a rush on one does. A watcher leaves the registry when
/// its last listener has gone, so clinic ids that anyone may make up (with an empty <c>Queue:Clinics</c>) cost memory
/// only while they are followed; the poll stops when no clinic is followed.
/// </summary>
public sealed class ClinicWatchers(ClinicStateReader reader, WatchPace pace, ILogger<ClinicWatcher> logger)
{
    private readonly ConcurrentDictionary<string, ClinicWatcher> watchers = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private readonly HashSet<ClinicWatcher> polled = [];
    private TaskCompletionSource wake = NewWake();
    private DurableTaskClient? client;
    private bool running;

    /// <summary>Clinics with a watcher in the registry: those followed or waited on now, or a moment ago.</summary>
    public int Count => watchers.Count;

    public ClinicWatcher For(string clinic) =>
        watchers.GetOrAdd(clinic, id => new ClinicWatcher(id, Join, Release));

    private void Join(ClinicWatcher watcher, DurableTaskClient durableClient, bool readNow)
    {
        lock (gate)
        {
            // Every function invocation gets an equivalent client for the same task hub; keep the newest.
            client = durableClient;
            // A listener may reach a watcher just as it was released: it serves that listener whether or not it gets
            // its place in the registry back.
            watchers.TryAdd(watcher.Clinic, watcher);
            if (polled.Add(watcher) || readNow)
            {
                wake.TrySetResult();
            }

            if (!running)
            {
                running = true;
                _ = Task.Run(PollAsync);
            }
        }
    }

    // Only this very watcher: a newer one may already hold the clinic's place.
    private void Release(ClinicWatcher watcher)
    {
        lock (gate)
        {
            polled.Remove(watcher);
            watchers.TryRemove(new KeyValuePair<string, ClinicWatcher>(watcher.Clinic, watcher));
        }
    }

    private async Task PollAsync()
    {
        var failures = 0;
        while (true)
        {
            ClinicWatcher[] followed;
            DurableTaskClient current;
            TaskCompletionSource wakeUp;
            lock (gate)
            {
                if (polled.Count == 0)
                {
                    running = false;
                    return;
                }

                followed = [.. polled];
                current = client!;
                wakeUp = wake = NewWake();
            }

            var listened = followed.Where(w => !w.TryRelease()).ToList();
            if (listened.Count == 0)
            {
                continue;
            }

            TimeSpan pause;
            try
            {
                // Not every client stops its storage retries on cancellation: the poll stops waiting for them regardless.
                using var limit = new CancellationTokenSource(pace.ReadLimit);
                var states = await reader.ReadManyAsync(current, [.. listened.Select(w => w.Clinic)], limit.Token).WaitAsync(limit.Token);
                failures = 0;
                listened.ForEach(w => w.Deliver(states[w.Clinic]));
                pause = listened.Any(w => w.HasWaiters) ? pace.WhileConfirming : pace.WhileStreaming;
            }
            catch (Exception ex) when (ex is BackendUnavailableException or OperationCanceledException)
            {
                // Listeners keep their last state; waiters time out on their own deadline.
                failures++;
                pause = TimeSpan.FromTicks(Math.Min(pace.AfterFailure.Ticks * failures, pace.AfterFailure.Ticks * 10));
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The poll of {Count} clinics failed a read", listened.Count);
                failures++;
                pause = pace.AfterFailure;
            }

            await Task.WhenAny(wakeUp.Task, Task.Delay(pause));
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
