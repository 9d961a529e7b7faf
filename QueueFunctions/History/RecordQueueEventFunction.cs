using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using QueueFunctions.Queueing;

namespace QueueFunctions.History;

/// <summary>
/// Keeps every queue change in the day's history. Delivery is at least once and not ordered; the table write is
/// idempotent, so a repeat costs one write and changes nothing. A message that fails is tried again by the host after
/// host.json's <c>visibilityTimeout</c> (30 s), up to <c>maxDequeueCount</c> (5) times: about two and a half minutes
/// with the storage client's own retries, so a table outage of a minute or two is ridden out. Beyond that it goes to
/// <c>queue-events-poison</c>, with an error logged, and <see cref="ReplayPoisonQueueEventsFunction"/> moves it back
/// once the table answers again.
/// </summary>
public sealed class RecordQueueEventFunction(HistoryTable history, ILogger<RecordQueueEventFunction> logger)
{
    public const string Name = "RecordQueueEvent";

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(QueueEventsQueue.Name, Connection = ServiceCollectionExtensions.StorageConnection)] string message,
        CancellationToken cancellationToken)
    {
        var change = QueueEventMessage.Parse(message);
        if (!await history.RecordAsync(change, cancellationToken))
        {
            logger.LogWarning("Queue event {Id} of type {Type} is not kept in the history", change.Id, change.Type);
        }
    }
}
