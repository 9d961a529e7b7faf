using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// Drains a clinic's outbox into the <c>queue-events</c> storage queue (and every other registered queue, see
/// <see cref="QueueEventsFanOut"/>), oldest first. Changes leave the outbox only after they are in the queues, so every
/// change arrives at least once. The clinic knows the publisher by its instance
/// id and watches that it is heard from (<see cref="PublisherWatch"/>): a publisher that ends badly is replaced.
/// </summary>
public sealed class QueueEventsPublisher(IEnumerable<IQueueEventsSender> senders, ILogger<QueueEventsPublisher> logger)
{
    private readonly QueueEventsFanOut queue = new(senders);

    public const string OrchestratorName = "PublishQueueEvents";
    public const string ActivityName = "SendQueueEvents";

    /// <summary>How many changes one activity is given.</summary>
    public const int BatchSize = 200;

    /// <summary>Changes sent at a time within an activity; what the queue took is kept when a later group fails.</summary>
    public const int SendGroup = 20;

    /// <summary>Batches sent before the orchestration starts afresh, so its history stays short during a rush.</summary>
    public const int RoundsPerGeneration = 20;

    /// <summary>
    /// How long one activity sends. A queue that hangs (or takes seconds a message) must not keep the publisher silent
    /// for longer than the clinic's watch allows: the activity hands back what the queue took by then, and the rest goes
    /// in the next.
    /// </summary>
    public static readonly TimeSpan ActivitySendLimit = TimeSpan.FromSeconds(30);

    /// <summary>How long the publisher waits before trying a batch again once its retries are spent.</summary>
    public static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMinutes(1);

    private const int SendAttempts = 5;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    private static readonly TaskOptions SendRetries = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: SendAttempts, firstRetryInterval: FirstRetry, backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <summary>
    /// The longest a working publisher goes without calling its clinic: every attempt of a batch taking its whole limit,
    /// the waits between them, then the pause before it starts afresh and takes the outbox again. Scheduling adds
    /// seconds, which <see cref="PublisherWatch.Default"/> leaves room for.
    /// </summary>
    public static TimeSpan LongestSilence =>
        (ActivitySendLimit * SendAttempts)
        + Enumerable.Range(0, SendAttempts - 1).Aggregate(TimeSpan.Zero, (total, retry) => total + (FirstRetry * Math.Pow(2, retry)))
        + PauseAfterFailure;

    [Function(OrchestratorName)]
    public static async Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var clinic = context.GetInput<string>() ?? throw new InvalidOperationException("The publisher needs a clinic.");
        var entity = new EntityInstanceId(ClinicQueueEntity.Name, clinic);
        var me = context.InstanceId;
        var batch = await context.Entities.CallEntityAsync<List<QueueEvent>>(entity, ClinicQueueEntity.Operations.TakeOutbox, new OutboxRequest(me, BatchSize));
        for (var round = 1; batch.Count > 0; round++)
        {
            long sent;
            try
            {
                sent = await context.CallActivityAsync<long>(ActivityName, batch, SendRetries);
            }
            catch (TaskFailedException)
            {
                // The queue stays unreachable beyond the retries. Giving up would leave the outbox waiting until the
                // clinic's watch noticed: wait, then take the outbox again, as a fresh generation, since a queue down for
                // days would otherwise grow this history by every failed round. The clinic's cap (Queue:MaxOutbox)
                // bounds what waits meanwhile.
                await context.CreateTimer(PauseAfterFailure, CancellationToken.None);
                context.ContinueAsNew(clinic);
                return;
            }

            if (round >= RoundsPerGeneration)
            {
                await context.Entities.CallEntityAsync(entity, ClinicQueueEntity.Operations.AcknowledgeOutbox, sent);
                context.ContinueAsNew(clinic);
                return;
            }

            batch = await context.Entities.CallEntityAsync<List<QueueEvent>>(
                entity, ClinicQueueEntity.Operations.AcknowledgeAndTakeOutbox, new OutboxAcknowledgement(sent, BatchSize, me));
        }
    }

    /// <summary>
    /// Sends the batch group by group, oldest first, within <see cref="ActivitySendLimit"/>.
    /// </summary>
    /// <returns>The version up to which every change of the batch is in the queue.</returns>
    /// <exception cref="Exception">Nothing was taken: the orchestration's retries try again.</exception>
    [Function(ActivityName)]
    public async Task<long> SendAsync([ActivityTrigger] List<QueueEvent> batch)
    {
        using var limit = new CancellationTokenSource(ActivitySendLimit);
        long sent = 0;
        try
        {
            foreach (var group in batch.Chunk(SendGroup))
            {
                await queue.SendAsync(group, limit.Token);
                sent = group[^1].Version;
            }
        }
        catch (Exception ex) when (sent > 0)
        {
            logger.LogWarning(ex, "Published queue events of clinic {Clinic} up to version {Version} of {Last}; the rest go with the next batch",
                batch[0].Clinic, sent, batch[^1].Version);
            return sent;
        }

        logger.LogInformation("Published {Count} queue events of clinic {Clinic} up to version {Version}", batch.Count, batch[0].Clinic, sent);
        return sent;
    }
}
