using System.Collections.Immutable;

namespace QueueFunctions.Domain;

/// <summary>
/// What the state keeps of finished tickets: the recent ones whole, in <see cref="Tickets"/>, and every patient's latest
/// in <see cref="Past"/> once it has left them, so the state stays small however long the day and a patient is still
/// answered at its end.
/// </summary>
public sealed partial record ClinicQueueState
{
    /// <summary>
    /// Forgets finished tickets older than <see cref="QueueRules.FinishedTicketLifetime"/>, and the oldest beyond
    /// <see cref="QueueRules.MaxFinishedTickets"/>. Until then a repeated <c>done</c> still finds its ticket and a
    /// patient's status still shows it; after that the day's history has it.
    /// </summary>
    private ClinicQueueState WithoutOldFinished(DateTimeOffset now)
    {
        var oldest = now - QueueRules.FinishedTicketLifetime;
        var kept = Tickets.RemoveAll(t => t.FinishedAt is { } finished && finished < oldest);
        var extra = kept.Count(t => !t.IsWaiting) - QueueRules.MaxFinishedTickets;
        if (extra > 0)
        {
            var dropped = kept.Where(t => !t.IsWaiting).OrderBy(t => t.FinishedAt).Take(extra).ToHashSet();
            kept = kept.RemoveAll(dropped.Contains);
        }

        return kept.Count == Tickets.Count ? this : Remembering(Tickets.Except(kept)) with { Tickets = kept };
    }

    /// <summary>
    /// Finishes a no-show remembered after its ticket left the state, possibly one issued before a reset: its change
    /// names the round it was issued in, and <see cref="DoneTotal"/>, which counts from the last reset, counts it only
    /// when it is of this round.
    /// </summary>
    private ClinicQueueState FinishingRemembered(Ticket done, DateTimeOffset now, QueueRules rules)
    {
        var key = UserKey(done.User);
        var past = Past![key];
        return (this with
        {
            Version = Version + 1,
            Past = Past.SetItem(key, past with { Status = TicketStatus.Done }),
            DoneTotal = past.Round == Round ? DoneTotal + 1 : DoneTotal,
            Pace = Pace?.LastAt(now),
        }).Recording(QueueEvent.TicketDone, done, rules.ToLocal(now), past.Round);
    }

    /// <summary>
    /// What a reset leaves remembered: every patient's latest finished ticket, but nothing of a patient who waits. Their
    /// waiting ticket is void, and it was their latest: what they finished before it is behind it too.
    /// </summary>
    private ImmutableDictionary<string, PastTicket>? RememberedThroughReset()
    {
        var waiting = Tickets.Where(t => t.IsWaiting).Select(t => UserKey(t.User)).ToHashSet();
        return Remembering(Tickets.Where(t => !waiting.Contains(UserKey(t.User)))).Past?.RemoveRange(waiting);
    }

    /// <summary>Remembers finished tickets as their patients' latest, unless a later one of theirs is remembered already.</summary>
    private ClinicQueueState Remembering(IEnumerable<Ticket> finished)
    {
        var past = Past ?? ImmutableDictionary<string, PastTicket>.Empty;
        foreach (var ticket in finished.Where(t => !t.IsWaiting))
        {
            var key = UserKey(ticket.User);
            var remembered = PastTicket.Of(ticket, Round);
            if (!past.TryGetValue(key, out var known) || remembered.IsLaterThan(known))
            {
                past = past.SetItem(key, remembered);
            }
        }

        return past.IsEmpty ? this : this with { Past = past };
    }
}
