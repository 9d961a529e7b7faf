using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using QueueFunctions.Configuration;

namespace QueueFunctions.Queueing;

/// <summary>
/// Every committed change that finds no publisher running starts one (<see cref="QueueEventsPublisher"/>), and each
/// finished run leaves its history in the task hub. Purging finished runs hourly keeps the task hub's tables the
/// size of an hour's traffic instead of growing with every day.
/// </summary>
public sealed class PurgeFinishedOrchestrationsFunction(TimeProvider time, ILogger<PurgeFinishedOrchestrationsFunction> logger)
{
    public const string Name = "PurgeFinishedOrchestrations";

    /// <summary>How long a finished run stays readable, for diagnosing a publisher that failed.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(1);

    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + TimerSchedules.PurgeFinishedOrchestrationsSetting + "%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - KeptFor;
        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedTo: before, Statuses: Finished), options: null, cancellation: cancellationToken);
        logger.LogInformation("Purged {Count} finished orchestrations created before {Before:O}", result.PurgedInstanceCount, before);
    }
}
