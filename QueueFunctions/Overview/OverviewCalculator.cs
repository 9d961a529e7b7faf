using QueueFunctions.Domain;

namespace QueueFunctions.Overview;

/// <summary>
/// The overview's figures, worked out from a clinic's state alone (and the day's waits, which only the history has):
/// no clock or storage of its own, so a test can place every moment exactly.
/// </summary>
public static class OverviewCalculator
{
    /// <param name="state">The clinic's state as seen today (<see cref="ClinicQueueState.AsSeenOn"/>).</param>
    /// <param name="stalledAfter">How long people may wait on a queue that does not move before it counts as stalled.</param>
    /// <param name="waits">The clinic's waits so far today, from the history; null when it has none (or could not be read).</param>
    public static ClinicOverview ForClinic(ClinicQueueState state, DateTimeOffset now, TimeSpan stalledAfter, QueueRules rules, TodayWait? waits)
    {
        var waiting = state.Tickets.Where(t => t.IsWaiting).ToList();
        var earliest = waiting.Count == 0 ? (DateTimeOffset?)null : waiting.Min(t => t.EnteredAt);

        // The pace's last finish is the queue's last move (done or no-show) since the day began or its last reset. When
        // the earliest waiting ticket came after it, the queue was empty in between and could not move: its quiet
        // starts with that ticket.
        var lastMoved = state.Pace?.Last;
        var quietSince = earliest is { } first ? Later(lastMoved, first) : (DateTimeOffset?)null;
        var stalled = quietSince is { } since && now - since >= stalledAfter;

        return new ClinicOverview(
            state.Clinic,
            state.Current,
            waiting.Count,
            earliest is { } oldest ? Seconds(now - oldest) : 0,
            waits is null ? null : Minutes(waits.Average),
            state.DoneCount,
            waiting.Count(t => t.Visit is not null),
            lastMoved is { } moved ? rules.ToLocal(moved) : null,
            quietSince is { } quiet ? rules.ToLocal(quiet) : null,
            stalled);
    }

    /// <param name="waits">Each clinic's waits today, to pool the centre's average from every wait rather than from the clinics' averages.</param>
    public static OverviewTotals Totals(IReadOnlyCollection<ClinicOverview> clinics, IReadOnlyDictionary<string, TodayWait> waits)
    {
        var pooled = clinics.Select(c => waits.GetValueOrDefault(c.Clinic)).OfType<TodayWait>().ToList();
        var count = pooled.Sum(w => w.Count);
        return new OverviewTotals(
            clinics.Sum(c => c.Waiting),
            clinics.Select(c => c.LongestWaitSeconds).DefaultIfEmpty(0).Max(),
            count == 0 ? null : Minutes(TimeSpan.FromTicks(pooled.Sum(w => w.Average.Ticks * w.Count) / count)),
            clinics.Sum(c => c.ServedToday),
            clinics.Sum(c => c.VisitsInProgress),
            clinics.Count(c => c.Stalled));
    }

    private static DateTimeOffset Later(DateTimeOffset? moved, DateTimeOffset issued) => moved is { } m && m > issued ? m : issued;

    // A clock a moment behind the ticket's own (another instance's) must not show a negative wait.
    private static int Seconds(TimeSpan span) => span <= TimeSpan.Zero ? 0 : (int)span.TotalSeconds;

    private static double Minutes(TimeSpan span) => Math.Round(span.TotalMinutes, 1, MidpointRounding.AwayFromZero);
}
