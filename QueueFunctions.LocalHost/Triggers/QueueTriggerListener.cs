using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Functions;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>How often an idle trigger queue is polled: from <see cref="Min"/>, doubling while empty, up to <see cref="Max"/>.</summary>
public sealed record QueuePolling(TimeSpan Min, TimeSpan Max);

/// <summary>
/// Runs one [QueueTrigger] function as the Functions host does: receive a batch, run its messages concurrently, delete
/// each message its function completed; a failed message is retried after the visibility timeout and, once it has been
/// dequeued MaxDequeueCount times, moved to &lt;queue&gt;-poison.
/// </summary>
sealed class QueueTriggerListener(
    TriggeredFunctionInvoker invoker,
    Type triggerType,
    QueueClient queue,
    QueueClient poisonQueue,
    QueueTriggerSettings settings,
    QueuePolling polling,
    TimeSpan messageLease,
    ILogger logger)
{
    public string QueueName => queue.Name;

    public Task PrepareAsync(CancellationToken cancellationToken) => queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <param name="stopping">Stop receiving; messages already received are finished.</param>
    /// <param name="aborted">Given to the functions; once signalled, nothing more is written to the queue (a crash).</param>
    public async Task RunAsync(CancellationToken stopping, CancellationToken aborted)
    {
        TimeSpan idle = polling.Min;
        while (!stopping.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await queue.ReceiveMessagesAsync(settings.BatchSize, messageLease, stopping)).Value;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e)
            {
                logger.LogWarning(e, "Receiving from queue {Queue} for function {Function} failed; trying again.", QueueName, invoker.Name);
                batch = [];
            }

            if (batch.Length > 0)
            {
                idle = polling.Min;
                await Task.WhenAll(batch.Select(m => ProcessAsync(m, aborted)));
                continue;
            }

            try
            {
                // Real time, not the host's TimeProvider: a test's frozen clock must not stop the polling.
                await Task.Delay(idle, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, polling.Max.Ticks));
        }
    }

    async Task ProcessAsync(QueueMessage message, CancellationToken aborted)
    {
        try
        {
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                // Taken more often than allowed without an outcome (hosts died while running it): not run again.
                await MoveToPoisonAsync(message, message.PopReceipt, aborted);
                return;
            }

            Exception? failure = null;
            string popReceipt;
            await using (var lease = new MessageLease(queue, message, messageLease, logger))
            {
                try
                {
                    await invoker.InvokeAsync(QueueMessageBinder.Bind(message, triggerType), aborted);
                }
                catch (Exception e) when (!aborted.IsCancellationRequested)
                {
                    failure = e;
                }

                popReceipt = lease.PopReceipt;
            }

            aborted.ThrowIfCancellationRequested();
            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, popReceipt, aborted);
                return;
            }

            logger.LogError(
                failure, "Function {Function} failed on message {MessageId} of queue {Queue} (dequeue count {DequeueCount}).",
                invoker.Name, message.MessageId, QueueName, message.DequeueCount);
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, popReceipt, aborted);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // Killed: the message stays as it is and comes back when its lease expires.
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Could not settle message {MessageId} of queue {Queue}; it comes back when its lease expires.", message.MessageId, QueueName);
        }
    }

    async Task MoveToPoisonAsync(QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        await poisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poisonQueue.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
        logger.LogError(
            "Message {MessageId} of queue {Queue} reached the maximum dequeue count of {MaxDequeueCount}; function {Function} gave up on it " +
            "and it was moved to the poison queue {PoisonQueue}.",
            message.MessageId, QueueName, settings.MaxDequeueCount, invoker.Name, poisonQueue.Name);
    }
}
