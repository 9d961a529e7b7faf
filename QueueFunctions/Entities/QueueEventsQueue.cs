using System.Text.Json;
using Azure.Storage.Queues;
using QueueFunctions.Api;
using QueueFunctions.Queueing;

namespace QueueFunctions.Entities;

/// <summary>The <c>queue-events</c> storage queue that other systems consume: one JSON message per change.</summary>
public sealed class QueueEventsQueue(QueueServiceClient service)
{
    public const string Name = "queue-events";

    private readonly QueueClient queue = service.GetQueueClient(Name);
    private volatile bool created;

    public QueueClient Client => queue;

    public async Task SendAsync(IEnumerable<QueueEvent> events, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        // One at a time, in order: consumers rely on version order per clinic.
        foreach (var change in events)
        {
            await queue.SendMessageAsync(JsonSerializer.Serialize(change, ApiResult.Json), cancellationToken);
        }
    }
}
