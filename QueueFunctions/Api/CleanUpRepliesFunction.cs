using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using QueueFunctions.Configuration;

namespace QueueFunctions.Api;

/// <summary>
/// Deletes kept replies once no retry can ask for them, on the purge's hourly schedule: the table then holds about an
/// hour of keyed requests, however long the app runs.
/// </summary>
public sealed class CleanUpRepliesFunction(IdempotentReplies replies, TimeProvider time, ILogger<CleanUpRepliesFunction> logger)
{
    public const string Name = "CleanUpReplies";

    [Function(Name)]
    public async Task RunAsync(
        [TimerTrigger("%" + TimerSchedules.PurgeFinishedOrchestrationsSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var deleted = await replies.DeleteBeforeAsync(time.GetUtcNow() - IdempotentReplies.Window, cancellationToken);
        logger.LogInformation("Deleted {Replies} kept replies older than {Minutes} minutes", deleted, IdempotentReplies.Window.TotalMinutes);
    }
}
