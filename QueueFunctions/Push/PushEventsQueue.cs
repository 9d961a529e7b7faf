using Azure.Storage.Queues;
using QueueFunctions.Queueing;

namespace QueueFunctions.Push;

/// <summary>
/// The <c>push-events</c> storage queue: a copy of every clinic change for <see cref="SendPushAlertsFunction"/>. Push has
/// a queue of its own because consumers of one storage queue compete for its messages: on <c>queue-events</c> the
/// history and the push would each see only some changes.
/// </summary>
public sealed class PushEventsQueue(QueueServiceClient service) : EventsQueueSender(service, Name)
{
    public const string Name = "push-events";
}
