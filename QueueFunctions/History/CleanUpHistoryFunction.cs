using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.History;

/// <summary>Once a day, deletes the history of service days older than <c>History:RetentionDays</c>.</summary>
public sealed class CleanUpHistoryFunction(
    HistoryTable history,
    IOptions<HistoryOptions> options,
    QueueRules rules,
    TimeProvider time,
    ILogger<CleanUpHistoryFunction> logger)
{
    public const string Name = "CleanUpHistory";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + TimerSchedules.CleanUpHistorySetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var firstKept = FirstKeptDay(rules.ServiceDayOf(time.GetUtcNow()), options.Value.RetentionDays);
        var deleted = await history.DeleteBeforeAsync(firstKept, cancellationToken);
        logger.LogInformation("History cleanup deleted {Rows} rows of service days before {Day}", deleted, firstKept);
    }

    /// <summary>Today and the <paramref name="retentionDays"/> - 1 days before it are kept.</summary>
    public static DateOnly FirstKeptDay(DateOnly today, int retentionDays) => today.AddDays(1 - retentionDays);
}
