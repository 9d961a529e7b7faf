using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;

namespace QueueFunctions.Queueing;

/// <summary>
/// Gathers the enters that arrive at one clinic while a signal is being sent, and sends them as one
/// <see cref="ClinicQueueEntity.EnterMany"/> signal: under a rush the entity then runs a few large operations
/// instead of hundreds of small ones, and storage sees a few messages instead of one per patient.
/// </summary>
public sealed class EnterCoalescer
{
    /// <summary>Enters per signal, which keeps each message well under the storage queue's size limit.</summary>
    public const int MaxBatch = 100;

    private readonly ConcurrentQueue<Pending> pending = new();
    private readonly Func<DurableTaskClient, IReadOnlyList<EnterCommand>, Task> send;
    private readonly Action<EnterCoalescer>? drained;
    private int sending;

    /// <param name="drained">
    /// Called each time everything queued has been sent and nothing waits, so its owner can let it go. An enter queued
    /// after that call is still sent: the coalescer keeps working whether or not its owner still holds it.
    /// </param>
    public EnterCoalescer(Func<DurableTaskClient, IReadOnlyList<EnterCommand>, Task> send, Action<EnterCoalescer>? drained = null)
    {
        this.send = send;
        this.drained = drained;
    }

    /// <summary>Completes when the signal that carries <paramref name="command"/> has been accepted by storage.</summary>
    public Task EnqueueAsync(DurableTaskClient client, EnterCommand command)
    {
        var entry = new Pending(client, command, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        pending.Enqueue(entry);
        if (Interlocked.CompareExchange(ref sending, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync);
        }

        return entry.Accepted.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            while (!pending.IsEmpty)
            {
                var batch = new List<Pending>(MaxBatch);
                while (batch.Count < MaxBatch && pending.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                try
                {
                    await send(batch[^1].Client, batch.Select(p => p.Command).ToList());
                    batch.ForEach(p => p.Accepted.TrySetResult());
                }
                catch (Exception ex)
                {
                    batch.ForEach(p => p.Accepted.TrySetException(ex));
                }
            }

            Volatile.Write(ref sending, 0);
            if (pending.IsEmpty)
            {
                drained?.Invoke(this);
                return;
            }

            // An enter queued after the last look but before the flag dropped would otherwise wait for the next caller.
            if (Interlocked.CompareExchange(ref sending, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private sealed record Pending(DurableTaskClient Client, EnterCommand Command, TaskCompletionSource Accepted);
}
