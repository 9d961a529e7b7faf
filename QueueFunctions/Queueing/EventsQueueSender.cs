using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using QueueFunctions.Api;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>A storage queue that takes the clinics' changes, one JSON message each; created on first use.</summary>
public abstract class EventsQueueSender(QueueServiceClient service, string name) : IQueueEventsSender
{
    /// <summary>Messages in flight at once per batch.</summary>
    public const int ParallelSends = 10;

    private readonly QueueClient queue = service.GetQueueClient(name);
    private volatile bool created;

    public QueueClient Client => queue;

    public async Task SendAsync(IEnumerable<QueueEvent> events, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        try
        {
            // Several at once: a storage queue keeps no order anyway, and consumers order by version (README), so one by
            // one only made a rush's events trail behind its tickets (about 100 a second per clinic).
            await Parallel.ForEachAsync(
                events,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = cancellationToken },
                async (change, token) => await queue.SendMessageAsync(JsonSerializer.Serialize(change, ApiResult.Json), token));
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            // Deleted while the app ran: the next attempt creates it again instead of failing for good.
            created = false;
            throw;
        }
    }
}
