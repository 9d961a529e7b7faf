using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Push;

/// <summary>
/// The <c>push-events</c> storage queue: a copy of every clinic change for <see cref="SendPushAlertsFunction"/>. Push has
/// a queue of its own because consumers of one storage queue compete for its messages: on <c>queue-events</c> the
/// history and the push would each see only some changes.
/// </summary>
public sealed class PushEventsQueue(QueueServiceClient service) : IQueueEventsSender
{
    public const string Name = "push-events";

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

        try
        {
            await Parallel.ForEachAsync(
                events,
                new ParallelOptions { MaxDegreeOfParallelism = QueueEventsQueue.ParallelSends, CancellationToken = cancellationToken },
                async (change, token) => await queue.SendMessageAsync(JsonSerializer.Serialize(change, ApiResult.Json), token));
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            created = false;
            throw;
        }
    }
}
