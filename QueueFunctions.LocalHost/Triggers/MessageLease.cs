using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>
/// Keeps a received message hidden from other receivers while its function runs, by pushing its visibility forward every
/// half lease (a long function would otherwise see its message handed to a second run). Each update changes the pop
/// receipt, and the latest one is needed to delete or update the message afterwards.
/// </summary>
sealed class MessageLease : IAsyncDisposable
{
    readonly QueueClient queue;
    readonly string messageId;
    readonly TimeSpan lease;
    readonly ILogger logger;
    readonly CancellationTokenSource done = new();
    readonly Task renewing;
    string popReceipt;

    public MessageLease(QueueClient queue, QueueMessage message, TimeSpan lease, ILogger logger)
    {
        this.queue = queue;
        messageId = message.MessageId;
        popReceipt = message.PopReceipt;
        this.lease = lease;
        this.logger = logger;
        renewing = RenewAsync();
    }

    public string PopReceipt => Volatile.Read(ref popReceipt);

    async Task RenewAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease / 2, done.Token);

                // Not cancelled by the end of the run: an update that reached the queue must give us its new receipt.
                UpdateReceipt receipt = await queue.UpdateMessageAsync(messageId, PopReceipt, visibilityTimeout: lease);
                Volatile.Write(ref popReceipt, receipt.PopReceipt);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Could not keep message {MessageId} of queue {Queue} hidden; it may be run again.", messageId, queue.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await done.CancelAsync();
        await renewing;
        done.Dispose();
    }
}
