using Microsoft.Azure.Functions.Worker;
using QueueFunctions.Configuration;

namespace QueueFunctions.History;

/// <summary>Every few minutes, moves queue events the history gave up on back to <c>queue-events</c> (see <see cref="PoisonQueueEvents"/>).</summary>
public sealed class ReplayPoisonQueueEventsFunction(PoisonQueueEvents poison)
{
    public const string Name = "ReplayPoisonQueueEvents";

    [Function(Name)]
    public Task RunAsync([TimerTrigger("%" + TimerSchedules.ReplayPoisonQueueEventsSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        poison.ReplayAsync(cancellationToken);
}
