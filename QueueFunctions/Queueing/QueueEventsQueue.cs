using Azure.Storage.Queues;

namespace QueueFunctions.Queueing;

/// <summary>The <c>queue-events</c> storage queue that other systems consume: one JSON message per change.</summary>
public sealed class QueueEventsQueue(QueueServiceClient service) : EventsQueueSender(service, Name)
{
    public const string Name = "queue-events";
}
