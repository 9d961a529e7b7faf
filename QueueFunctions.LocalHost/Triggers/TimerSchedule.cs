using System.Globalization;
using NCrontab;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>
/// A [TimerTrigger] schedule as the Functions host reads it: a 6-field cron expression (with seconds) or a constant
/// interval written as a TimeSpan ("hh:mm:ss"). Cron occurrences are wall-clock times of the host's time zone.
/// </summary>
public sealed class TimerSchedule
{
    readonly CrontabSchedule? cron;
    readonly TimeSpan interval;

    TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan interval)
    {
        Expression = expression;
        this.cron = cron;
        this.interval = interval;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string expression, string where)
    {
        if (CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is { } cron)
        {
            return new TimerSchedule(expression, cron, TimeSpan.Zero);
        }

        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out TimeSpan interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(expression, null, interval);
        }

        throw new InvalidOperationException(
            $"{where} '{expression}' is neither a 6-field cron expression (seconds first, e.g. \"0 */5 * * * *\") nor a TimeSpan (\"hh:mm:ss\").");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after, TimeZoneInfo zone)
    {
        if (cron is null)
        {
            return after + interval;
        }

        DateTime wall = cron.GetNextOccurrence(TimeZoneInfo.ConvertTime(after, zone).DateTime);

        // In a daylight-saving gap the wall time does not exist and in the repeated hour it exists twice; the zone's
        // standard offset gives one instant for both, so the occurrence runs once, late in a gap rather than never.
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    /// <summary>
    /// True when two occurrences fall within a minute: the Functions host then keeps no schedule status for the timer
    /// (no past-due runs after a restart, no ScheduleStatus in TimerInfo).
    /// </summary>
    public bool IsSubMinute(DateTimeOffset now, TimeZoneInfo zone)
    {
        DateTimeOffset first = NextAfter(now, zone);
        return NextAfter(first, zone) - first < TimeSpan.FromMinutes(1);
    }

    public override string ToString() => Expression;
}
