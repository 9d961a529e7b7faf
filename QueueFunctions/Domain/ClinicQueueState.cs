using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// One clinic's queue for one service day. Immutable: every operation returns the next state,
/// so the entity that owns it only has to store what comes back. <see cref="Tickets"/> holds every waiting
/// ticket but only the recently finished ones: the day's history keeps the rest, so the state that the entity
/// reads and writes on every operation stays small however long the day.
/// </summary>
/// <param name="Version">Grows on every change and never goes back, across resets and days, so streams can use it as an event id.</param>
/// <param name="PinFailures">Wrong PINs per user (keyed by <see cref="UserKey"/>) this service day.</param>
/// <param name="Outbox">The changes still to publish to other systems, and who is publishing them.</param>
/// <param name="Round">Resets so far this service day: numbering restarts at 1 on each, so (day, round, number) names a ticket.</param>
/// <param name="DoneTotal">Tickets done this service day (since the last reset), including those no longer in <paramref name="Tickets"/>.</param>
/// <param name="Pace">How fast tickets have left the queue this service day, for wait estimates.</param>
/// <param name="Past">
/// Each patient's latest ticket of the service day (keyed by <see cref="UserKey"/>) once it has left
/// <paramref name="Tickets"/>, so a patient is answered all day however many tickets the clinic finishes after theirs.
/// </param>
/// <param name="StaffReceipts">Outcomes of <c>call</c> and <c>reset</c>, kept apart from patients' receipts so that no
/// amount of patient traffic pushes out the one a staff member's retry needs.</param>
/// <param name="Refused">Enters refused because the clinic was full, apart from other receipts: a flood of them
/// arrives in a few large batches, and each must still find its answer (<see cref="QueueRules.MaxRefused"/>).</param>
[JsonConverter(typeof(ClinicQueueStateJsonConverter))]
public sealed partial record ClinicQueueState(
    string Clinic,
    DateOnly ServiceDay,
    long Version,
    int LastNumber,
    string Pin,
    ImmutableList<Ticket> Tickets,
    ImmutableDictionary<string, int> PinFailures,
    ImmutableList<Receipt> Receipts,
    ClinicOutbox Outbox,
    int Round = 0,
    int DoneTotal = 0,
    FinishPace? Pace = null,
    ImmutableDictionary<string, PastTicket>? Past = null,
    ImmutableList<Receipt>? StaffReceipts = null,
    ImmutableList<Receipt>? Refused = null)
{
    /// <summary>A clinic that has never been used: its first operation opens the current service day.</summary>
    public static ClinicQueueState New(string clinic) => new(
        clinic, DateOnly.MinValue, 0, 0, string.Empty, ImmutableList<Ticket>.Empty, ImmutableDictionary<string, int>.Empty, ImmutableList<Receipt>.Empty, ClinicOutbox.Empty);

    public static string UserKey(string user) => user.ToUpperInvariant();

    /// <summary>The number being served: the lowest ticket still waiting, or 0.</summary>
    public int Current => Tickets.FirstOrDefault(t => t.IsWaiting)?.Number ?? 0;

    public int WaitingCount => Tickets.Count(t => t.IsWaiting);

    public int DoneCount => DoneTotal;

    /// <summary>The user's newest ticket of the day, whatever its status, also once it has left <see cref="Tickets"/>.</summary>
    public Ticket? LatestTicketOf(string user) =>
        Tickets.LastOrDefault(t => t.BelongsTo(user))
        ?? (Past is not null && Past.TryGetValue(UserKey(user), out var past) ? past.ToTicket(user, ServiceDay) : null);

    public Ticket? WaitingTicketOf(string user) => Tickets.FirstOrDefault(t => t.IsWaiting && t.BelongsTo(user));

    /// <summary>How many waiting tickets have a lower number.</summary>
    public int AheadOf(int number) => Tickets.Count(t => t.IsWaiting && t.Number < number);

    /// <summary>
    /// The state as of <paramref name="now"/>: a fresh queue with a new PIN when a new service day has begun.
    /// A caller whose clock lags behind never takes the queue back to an earlier day.
    /// </summary>
    public ClinicQueueState OnDayOf(DateTimeOffset now, QueueRules rules, IPinGenerator pins)
    {
        var day = rules.ServiceDayOf(now);
        return day <= ServiceDay ? this : NewDay(day, pins.NewPin(rules.PinDigits)) with { Version = Version + 1 };
    }

    /// <summary>
    /// How the queue looks on <paramref name="today"/> without changing anything: a clinic not yet
    /// touched today shows an empty queue, not yesterday's.
    /// </summary>
    public ClinicQueueState AsSeenOn(DateOnly today) => today <= ServiceDay ? this : NewDay(today, string.Empty);

    /// <summary>
    /// Gives the user the next number, or leaves the queue as it is when the user already waits.
    /// Idempotent per user: repeating the request never uses a second number. A ticket taken for a
    /// <paramref name="visit"/> (or one the user already held when the visit came here) is marked as its step.
    /// A repeat of a request already applied changes nothing, even when its ticket has been finished since.
    /// </summary>
    /// <param name="capped">
    /// False for a visit's next step: a patient part-way through an exam is never stranded between clinics, so only
    /// new arrivals are held to <see cref="QueueRules.MaxWaiting"/>.
    /// </param>
    public ClinicQueueState Enter(
        string user, string requestId, DateTimeOffset now, QueueRules rules, IPinGenerator pins, string? visit = null, bool capped = true)
    {
        if (Tickets.Any(t => t.RequestId == requestId) || ReceiptFor(requestId) is not null)
        {
            return this;
        }

        var today = OnDayOf(now, rules, pins);
        if (today.WaitingTicketOf(user) is { } held)
        {
            return visit is null || held.Visit == visit
                ? today
                : today with { Version = today.Version + 1, Tickets = today.Tickets.Replace(held, held with { Visit = visit }) };
        }

        if (capped && today.WaitingCount >= rules.MaxWaiting)
        {
            return today.WithRefusal(requestId, now);
        }

        var ticket = new Ticket(today.LastNumber + 1, user, TicketStatus.Waiting, now, null, requestId, visit);
        return (today with
        {
            Version = today.Version + 1,
            LastNumber = ticket.Number,
            Tickets = today.Tickets.Add(ticket),
        }).Recording(QueueEvent.TicketIssued, ticket, rules.ToLocal(now));
    }

    /// <summary>
    /// Marks the user's ticket done when the PIN is right. Everything is decided before anything
    /// changes: a wrong PIN only counts the failure, and a locked user changes nothing at all.
    /// </summary>
    public ClinicQueueState Done(string user, string pin, string requestId, DateTimeOffset now, QueueRules rules, IPinGenerator pins)
    {
        if (ReceiptFor(requestId) is not null)
        {
            return this;
        }

        var today = OnDayOf(now, rules, pins);
        var ticket = today.LatestTicketOf(user);
        if (ticket is null)
        {
            return today.WithReceipt(requestId, ReceiptOutcome.NotInQueue, null, now);
        }

        if (today.IsPinLocked(user, rules))
        {
            return today.WithReceipt(requestId, ReceiptOutcome.PinLocked, ticket.Number, now);
        }

        if (!PinMatches(pin, today.Pin))
        {
            return today.WithWrongPinFrom(user).WithReceipt(requestId, ReceiptOutcome.InvalidPin, ticket.Number, now);
        }

        if (ticket.Status == TicketStatus.Done)
        {
            return today.WithReceipt(requestId, ReceiptOutcome.Done, ticket.Number, now, ticket.Visit);
        }

        // A patient called as a no-show who turns up late and is examined is still done.
        var done = ticket with { Status = TicketStatus.Done, FinishedAt = now };
        var finished = today.Tickets.Contains(ticket)
            ? (today with
            {
                Version = today.Version + 1,
                Tickets = today.Tickets.Replace(ticket, done),
                DoneTotal = today.DoneTotal + 1,
                Pace = ticket.IsWaiting ? FinishPace.After(today.Pace, now) : today.Pace?.LastAt(now),
            }).Recording(QueueEvent.TicketDone, done, rules.ToLocal(now)).WithoutOldFinished(now)
            : today.FinishingRemembered(done, now, rules);
        return finished.WithReceipt(requestId, ReceiptOutcome.Done, ticket.Number, now, ticket.Visit);
    }

    /// <summary>
    /// The patient being served did not come: their ticket becomes a no-show and the queue moves on. With
    /// <paramref name="number"/> (the ticket the staff screen shows as current) only that ticket is called: once it is
    /// a no-show the call is answered as it was, and once it has left the queue otherwise (done, a reset) the call is
    /// refused, so a call repeated after a lost reply never skips a second patient. A repeat of a request already
    /// applied changes nothing.
    /// </summary>
    public ClinicQueueState Call(string requestId, DateTimeOffset now, QueueRules rules, IPinGenerator pins, int? number = null)
    {
        if (ReceiptFor(requestId) is not null)
        {
            return this;
        }

        var today = OnDayOf(now, rules, pins);
        var served = today.Tickets.FirstOrDefault(t => t.IsWaiting);
        if (number is { } asked && served?.Number != asked)
        {
            return today.AnsweringCallOf(asked, served, requestId, now);
        }

        if (served is null)
        {
            return today.WithStaffReceipt(requestId, ReceiptOutcome.QueueEmpty, null, now);
        }

        var skipped = served with { Status = TicketStatus.NoShow, FinishedAt = now };
        var moved = (today with
        {
            Version = today.Version + 1,
            Tickets = today.Tickets.Replace(served, skipped),
            Pace = FinishPace.After(today.Pace, now),
        }).Recording(QueueEvent.TicketNoShow, skipped, rules.ToLocal(now)).WithoutOldFinished(now);
        return moved.WithStaffReceipt(requestId, ReceiptOutcome.Called, served.Number, now);
    }

    /// <summary>Starts the service day over: numbering restarts at 1; the day's PIN stays, as staff have already handed it out.</summary>
    /// <remarks>
    /// Finished tickets are remembered, so their patients are still answered; a waiting ticket is void, and its patient
    /// reads as having no ticket here, so their screen offers a new one. A repeat of a request already applied changes
    /// nothing, so a retried reset never clears the tickets taken since the first.
    /// </remarks>
    public ClinicQueueState Reset(string requestId, DateTimeOffset now, QueueRules rules, IPinGenerator pins)
    {
        if (ReceiptFor(requestId) is not null)
        {
            return this;
        }

        var today = OnDayOf(now, rules, pins);
        var fresh = today.NewRound(today.Round + 1, today.RememberedThroughReset()) with { Version = today.Version + 1 };
        return fresh.Recording(QueueEvent.QueueReset, null, rules.ToLocal(now))
            .WithStaffReceipt(requestId, ReceiptOutcome.Reset, null, now);
    }

    /// <summary>A new service day's queue: round 0 with nothing remembered, and <paramref name="pin"/> to finish tickets with.</summary>
    private ClinicQueueState NewDay(DateOnly day, string pin) => NewRound(0, past: null) with { ServiceDay = day, Pin = pin };

    /// <summary>
    /// The queue as every round starts, on a new day or after a reset: numbering from 1, nobody waiting, nothing done, no
    /// wrong PINs. What outlives the round (its day, PIN, version, outbox and trails) stays as it was.
    /// </summary>
    private ClinicQueueState NewRound(int round, ImmutableDictionary<string, PastTicket>? past) => this with
    {
        LastNumber = 0,
        Tickets = ImmutableList<Ticket>.Empty,
        PinFailures = ImmutableDictionary<string, int>.Empty,
        Round = round,
        DoneTotal = 0,
        Pace = null,
        Past = past,
    };
}
