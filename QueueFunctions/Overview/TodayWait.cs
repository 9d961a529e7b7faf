namespace QueueFunctions.Overview;

/// <summary>A clinic's waits so far today, from its history: their average and how many there are, so averages can be pooled.</summary>
public sealed record TodayWait(TimeSpan Average, int Count)
{
    public static TodayWait? Of(IReadOnlyCollection<TimeSpan> waits) =>
        waits.Count == 0 ? null : new TodayWait(TimeSpan.FromTicks((long)waits.Average(w => w.Ticks)), waits.Count);
}
