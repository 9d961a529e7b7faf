namespace QueueFunctions.History;

/// <summary>
/// Turns a clinic's ticket history for one service day into the report's figures. The moment a ticket became the
/// number being served is not an event of its own: it is when the last lower ticket of its round left the queue
/// (or when it was issued, if nobody was ahead), as the queue serves the lowest waiting number.
/// <para>
/// A lower ticket the history never saw leave does not hold up the tickets above it when a higher ticket did leave:
/// from the records alone, its DONE or NO_SHOW that never arrived looks exactly like a patient still waiting while
/// others were seen, and letting it block would take the turn (and the service time) from every later ticket of the
/// round. Only the tickets above the last one that left wait behind each other: the lowest of them is current.
/// </para>
/// </summary>
public static class DailyFiguresCalculator
{
    /// <param name="resetRounds">The rounds the day's resets opened (<see cref="ClinicDayHistory.ResetRounds"/>).</param>
    public static ClinicDailyFigures Compute(string clinic, IEnumerable<TicketRecord> tickets, TimeZoneInfo timeZone, IReadOnlyCollection<int>? resetRounds = null) =>
        Measure(clinic, tickets, timeZone, resetRounds).ToFigures();

    /// <summary>The day's counts, waits and service times, before they are averaged: a range report pools them over its days.</summary>
    /// <param name="resetRounds">The rounds the day's resets opened (<see cref="ClinicDayHistory.ResetRounds"/>).</param>
    public static ClinicDayMeasures Measure(string clinic, IEnumerable<TicketRecord> tickets, TimeZoneInfo timeZone, IReadOnlyCollection<int>? resetRounds = null)
    {
        var all = tickets.ToList();
        var waits = new List<MeasuredWait>();
        var services = new List<TimeSpan>();
        foreach (var round in all.GroupBy(t => t.Round))
        {
            var ordered = round.OrderBy(t => t.Number).ToList();
            var lastToLeave = ordered.LastOrDefault(t => t.LeftQueueAt is not null)?.Number ?? 0;

            // The latest moment a lower ticket of this round is known to have left the queue.
            var lowerLeftBy = DateTimeOffset.MinValue;
            var currentSeen = false;
            foreach (var ticket in ordered)
            {
                // Above the last ticket that left, tickets still wait in order: only the lowest has come to the front.
                var reachable = ticket.Number <= lastToLeave || !currentSeen;
                currentSeen |= ticket.Number > lastToLeave;
                if (reachable && ticket.IssuedAt is { } issued)
                {
                    var turn = TurnOf(ticket, issued, lowerLeftBy);
                    waits.Add(new MeasuredWait(TimeZoneInfo.ConvertTime(issued, timeZone).Hour, turn.At - issued));
                    if (ServiceTimeOf(ticket, turn) is { } service)
                    {
                        services.Add(service);
                    }
                }

                if (ticket.LeftQueueAt is { } left && left > lowerLeftBy)
                {
                    lowerLeftBy = left;
                }
            }
        }

        var arrivals = new int[ClinicDayMeasures.Hours];
        foreach (var issued in all.Select(t => t.IssuedAt).OfType<DateTimeOffset>())
        {
            arrivals[TimeZoneInfo.ConvertTime(issued, timeZone).Hour]++;
        }

        return new ClinicDayMeasures(
            clinic,
            all.Count,
            all.Count(t => t.IsDone),
            all.Count(t => t.IsNoShow),
            StillWaiting(all, resetRounds),
            ClearedByReset(all, resetRounds),
            waits,
            services,
            arrivals);
    }

    /// <summary>
    /// When the ticket's turn came. A ticket finished before the queue reached it (a patient seen out of order)
    /// left the queue then; its service time is unknown, so <c>Reached</c> is false.
    /// </summary>
    private static (DateTimeOffset At, bool Reached) TurnOf(TicketRecord ticket, DateTimeOffset issued, DateTimeOffset lowerLeftBy)
    {
        var reached = lowerLeftBy > issued ? lowerLeftBy : issued;
        return ticket.LeftQueueAt is { } left && left < reached ? (left, false) : (reached, true);
    }

    /// <summary>
    /// From becoming current until DONE, when both are known. A late patient (called as a no-show, done later) was
    /// current only until the no-show: the queue never makes a no-show current again, so when their examination
    /// began is recorded nowhere, and current-to-DONE would count their absence as service time (a 40-minute absence
    /// read as 40 minutes of examination). They are left out of the average, as a patient seen out of turn is; they
    /// still count as done, and their wait (until they first became current) still counts.
    /// </summary>
    private static TimeSpan? ServiceTimeOf(TicketRecord ticket, (DateTimeOffset At, bool Reached) turn) =>
        turn.Reached && ticket.NoShowAt is null && ticket.DoneAt is { } done ? done - turn.At : null;

    /// <summary>Tickets never finished in the round the clinic is still in: waiting at the day's end (or now).</summary>
    private static int StillWaiting(IReadOnlyCollection<TicketRecord> tickets, IReadOnlyCollection<int>? resetRounds)
    {
        var latest = LatestRoundOf(tickets, resetRounds);
        return tickets.Count(t => t.IsStillWaiting && t.Round >= latest);
    }

    /// <summary>
    /// Tickets never finished in a round that a later reset ended: they were waiting when the reset emptied the queue,
    /// so they were abandoned, not still waiting (a reset at the day's end had made thousands look like a full queue).
    /// </summary>
    private static int ClearedByReset(IReadOnlyCollection<TicketRecord> tickets, IReadOnlyCollection<int>? resetRounds)
    {
        var latest = LatestRoundOf(tickets, resetRounds);
        return tickets.Count(t => t.IsStillWaiting && t.Round < latest);
    }

    /// <summary>
    /// The round the clinic's day is in: the latest that a reset opened or that a ticket was taken in. Rounds only grow,
    /// so any later round means the ticket's round was reset; counting tickets' rounds too keeps the figures right
    /// while a reset's own event has not arrived yet, as events arrive in any order.
    /// </summary>
    private static int LatestRoundOf(IReadOnlyCollection<TicketRecord> tickets, IReadOnlyCollection<int>? resetRounds) =>
        tickets.Select(t => t.Round).Concat(resetRounds ?? []).DefaultIfEmpty(0).Max();
}
