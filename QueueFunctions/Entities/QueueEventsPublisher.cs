using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Queueing;

namespace QueueFunctions.Entities;

/// <summary>
/// Drains a clinic's outbox into the <c>queue-events</c> storage queue, oldest first. A batch leaves the
/// outbox only after it is in the queue, so every change arrives at least once, in version order.
/// </summary>
public sealed class QueueEventsPublisher(QueueEventsQueue queue, ILogger<QueueEventsPublisher> logger)
{
    public const string OrchestratorName = "PublishQueueEvents";
    public const string ActivityName = "SendQueueEvents";

    /// <summary>How many changes one activity sends.</summary>
    public const int BatchSize = 200;

    /// <summary>Batches sent before the orchestration starts afresh, so its history stays short during a rush.</summary>
    public const int RoundsPerGeneration = 20;

    /// <summary>How long the publisher waits before trying a batch again once its retries are spent.</summary>
    public static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMinutes(1);

    private static readonly TaskOptions SendRetries = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    [Function(OrchestratorName)]
    public static async Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var clinic = context.GetInput<string>() ?? throw new InvalidOperationException("The publisher needs a clinic.");
        var entity = new EntityInstanceId(ClinicQueueEntity.Name, clinic);
        var batch = await context.Entities.CallEntityAsync<List<QueueEvent>>(entity, ClinicQueueEntity.Operations.TakeOutbox, BatchSize);
        for (var round = 1; batch.Count > 0; round++)
        {
            try
            {
                await context.CallActivityAsync(ActivityName, batch, SendRetries);
            }
            catch (TaskFailedException)
            {
                // The queue stays unreachable beyond the retries. Giving up would leave the entity believing a
                // publisher runs, and the outbox would never drain: wait, then take the same batch again, as a fresh
                // generation, since a queue down for days would otherwise grow this history by every failed round.
                // The entity's own cap (Queue:MaxOutbox) bounds what waits meanwhile.
                await context.CreateTimer(PauseAfterFailure, CancellationToken.None);
                context.ContinueAsNew(clinic);
                return;
            }

            var sent = batch[^1].Version;
            if (round >= RoundsPerGeneration)
            {
                await context.Entities.CallEntityAsync(entity, ClinicQueueEntity.Operations.AcknowledgeOutbox, sent);
                context.ContinueAsNew(clinic);
                return;
            }

            batch = await context.Entities.CallEntityAsync<List<QueueEvent>>(
                entity, ClinicQueueEntity.Operations.AcknowledgeAndTakeOutbox, new OutboxAcknowledgement(sent, BatchSize));
        }
    }

    [Function(ActivityName)]
    public async Task SendAsync([ActivityTrigger] List<QueueEvent> batch)
    {
        await queue.SendAsync(batch, CancellationToken.None);
        logger.LogInformation("Published {Count} queue events of clinic {Clinic} up to version {Version}", batch.Count, batch[0].Clinic, batch[^1].Version);
    }
}
