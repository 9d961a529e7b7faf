using Microsoft.Azure.Functions.Worker;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>
/// A timer's schedule status as instants (stored that way so that a change of time zone between hosts cannot shift
/// it); <see cref="ToScheduleStatus"/> gives the wall-clock form the function receives, as the Functions host passes it.
/// </summary>
sealed record TimerStatus(DateTimeOffset? Last, DateTimeOffset Next, DateTimeOffset? LastUpdated)
{
    public ScheduleStatus ToScheduleStatus(TimeZoneInfo zone) => new()
    {
        Last = Wall(Last, zone),
        Next = Wall(Next, zone),
        LastUpdated = Wall(LastUpdated, zone),
    };

    /// <summary>The Functions host's "never" is DateTime's default value.</summary>
    static DateTime Wall(DateTimeOffset? instant, TimeZoneInfo zone) =>
        instant is { } i ? TimeZoneInfo.ConvertTime(i, zone).DateTime : default;
}
