using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using QueueFunctions.Api;
using QueueFunctions.Queueing;

namespace QueueFunctions.History;

/// <summary>What one replay did: messages moved back, messages left in the poison queue, and whether it waited for the history.</summary>
public sealed record PoisonReplay(int Moved, int Kept, bool Postponed);

/// <summary>
/// Moves the queue events that <see cref="RecordQueueEventFunction"/> gave up on back to <c>queue-events</c>, once the
/// history table answers again. A message lands in <c>queue-events-poison</c> when the table was unreachable or throttled
/// through all of its attempts; nothing else would ever bring it back, and its ticket would be missing from the reports for
/// good. The history is idempotent, so a message moved back twice costs one write more and changes nothing.
/// </summary>
public sealed class PoisonQueueEvents(QueueServiceClient queues, HistoryTable history, ILogger<PoisonQueueEvents> logger)
{
    public const string QueueName = QueueEventsQueue.Name + "-poison";

    /// <summary>A run's bound, well inside the host's function timeout (two storage requests a message).</summary>
    public const int MaxPerRun = 5000;

    /// <summary>How long a message taken by a run stays hidden, so the run goes past those it leaves where they are.</summary>
    private static readonly TimeSpan Hidden = TimeSpan.FromMinutes(5);

    private readonly QueueClient poison = queues.GetQueueClient(QueueName);
    private readonly QueueClient events = queues.GetQueueClient(QueueEventsQueue.Name);
    private volatile bool created;

    public async Task<PoisonReplay> ReplayAsync(CancellationToken cancellationToken)
    {
        // Nearly always empty: one request, and no look at the history.
        if (!await AnyAsync(cancellationToken))
        {
            return new PoisonReplay(0, 0, Postponed: false);
        }

        if (!await HistoryAnswersAsync(cancellationToken))
        {
            return new PoisonReplay(0, 0, Postponed: true);
        }

        int moved = 0, kept = 0;
        while (moved + kept < MaxPerRun)
        {
            var batch = await ReceiveAsync(cancellationToken);
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                // Not a queue event at all: it would fail every attempt again, so it stays for an operator to look at.
                if (!QueueEventMessage.IsQueueEvent(message.Body.ToString()))
                {
                    kept++;
                    continue;
                }

                // Sent before it is deleted: a run that stops in between leaves a repeat, never a loss.
                await events.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                moved++;
            }
        }

        if (moved + kept > 0)
        {
            logger.LogInformation(
                "Moved {Moved} queue events from {Poison} back to {Queue}; {Kept} messages that are not queue events stay in {Poison}",
                moved, QueueName, QueueEventsQueue.Name, kept, QueueName);
        }

        return new PoisonReplay(moved, kept, Postponed: false);
    }

    /// <summary>
    /// Moved back while the table does not answer, a message would only fail its attempts again and return here, with an
    /// error logged for each; so the poison queue is left alone until a read of the table succeeds.
    /// </summary>
    private async Task<bool> HistoryAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await history.Client.GetEntityIfExistsAsync<TableEntity>("~", "~", select: ["PartitionKey"], cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            logger.LogWarning("The history table does not answer ({Error}); the messages in {Poison} wait for the next run", ex.Message, QueueName);
            return false;
        }
    }

    /// <summary>
    /// Whether the poison queue holds anything. It is created on first use (the Functions host creates it only when it
    /// first moves a message there): reading a queue that does not exist is a 404 the storage client logs as a warning,
    /// which would repeat every run.
    /// </summary>
    private async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        try
        {
            return (await poison.PeekMessagesAsync(1, cancellationToken)).Value.Length > 0;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            // Deleted while the app ran: created again next time.
            created = false;
            return false;
        }
    }

    private async Task<QueueMessage[]> ReceiveAsync(CancellationToken cancellationToken) =>
        (await poison.ReceiveMessagesAsync(32, Hidden, cancellationToken)).Value;
}
