using QueueFunctions.Domain;

namespace QueueFunctions.History;

/// <summary>
/// One clinic's counts and every wait and service time it measured, before anything is averaged or rounded: a day's
/// figures are worked out from these, and so are a range's totals, from the days' measures pooled
/// (<see cref="RangeTotals"/>), so that a percentile over a range is one of its waits and not a blend of daily ones.
/// </summary>
/// <param name="ArrivalsByHour">Tickets taken in each hour of the clinic's clock, 00 to 23.</param>
public sealed record ClinicDayMeasures(
    string Clinic,
    int Issued,
    int Done,
    int NoShow,
    int StillWaiting,
    int ClearedByReset,
    IReadOnlyList<MeasuredWait> Waits,
    IReadOnlyList<TimeSpan> Services,
    IReadOnlyList<int> ArrivalsByHour)
{
    public const int Hours = 24;

    public static ClinicDayMeasures None(string clinic) => new(clinic, 0, 0, 0, 0, 0, [], [], new int[Hours]);

    public ClinicDailyFigures ToFigures()
    {
        var waits = Waits.Select(w => w.Length).ToList();
        var byHour = Enumerable.Range(0, Hours)
            .Select(hour => Minutes(Average(Waits.Where(w => w.IssuedHour == hour).Select(w => w.Length).ToList())))
            .ToList();
        return new ClinicDailyFigures(
            Clinic,
            ClinicNames.ArabicOf(Clinic),
            Issued,
            Done,
            NoShow,
            StillWaiting,
            ClearedByReset,
            Minutes(Average(waits)),
            Minutes(Percentile90(waits)),
            Minutes(Average(Services)),
            ArrivalsByHour,
            byHour);
    }

    private static TimeSpan? Average(IReadOnlyCollection<TimeSpan> spans) =>
        spans.Count == 0 ? null : TimeSpan.FromTicks((long)spans.Average(s => s.Ticks));

    /// <summary>Nearest-rank 90th percentile: the smallest wait that at least 90% of waits do not exceed.</summary>
    private static TimeSpan? Percentile90(IReadOnlyCollection<TimeSpan> spans)
    {
        if (spans.Count == 0)
        {
            return null;
        }

        var sorted = spans.Order().ToList();
        return sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];
    }

    private static double? Minutes(TimeSpan? span) => span is { } s ? Math.Round(s.TotalMinutes, 1, MidpointRounding.AwayFromZero) : null;
}
