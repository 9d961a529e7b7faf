using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
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
/// <param name="Outbox">Changes not yet confirmed as published to other systems, oldest first.</param>
/// <param name="Publishing">Whether a publisher is draining <paramref name="Outbox"/>, so only one runs per clinic.</param>
/// <param name="Round">Resets so far this service day: numbering restarts at 1 on each, so (day, round, number) names a ticket.</param>
/// <param name="DoneTotal">Tickets done this service day (since the last reset), including those no longer in <paramref name="Tickets"/>.</param>
/// <param name="Pace">How fast tickets have left the queue this service day, for wait estimates.</param>
/// <param name="FlushPending">Whether the clinic has signalled itself to send changes it stored but has not sent.</param>
/// <param name="Past">
/// Each patient's latest ticket of the service day (keyed by <see cref="UserKey"/>) once it has left
/// <paramref name="Tickets"/>, so a patient is answered all day however many tickets the clinic finishes after theirs.
/// </param>
/// <param name="StaffReceipts">Outcomes of <c>call</c> and <c>reset</c>, kept apart from patients' receipts so that no
/// amount of patient traffic pushes out the one a staff member's retry needs.</param>
/// <param name="Refused">Enters refused because the clinic was full, apart from other receipts: a flood of them
/// arrives in a few large batches, and each must still find its answer (<see cref="QueueRules.MaxRefused"/>).</param>
/// <param name="Publisher">The publisher that holds the outbox while <paramref name="Publishing"/>, and when it was last heard from.</param>
public sealed record ClinicQueueState(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("day")] DateOnly ServiceDay,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("last")] int LastNumber,
    [property: JsonPropertyName("pin")] string Pin,
    [property: JsonPropertyName("tickets")] ImmutableList<Ticket> Tickets,
    [property: JsonPropertyName("pinFailures")] ImmutableDictionary<string, int> PinFailures,
    [property: JsonPropertyName("receipts")] ImmutableList<Receipt> Receipts,
    [property: JsonPropertyName("outbox")] ImmutableList<QueueEvent> Outbox,
    [property: JsonPropertyName("publishing")] bool Publishing,
    [property: JsonPropertyName("round")] int Round = 0,
    [property: JsonPropertyName("doneTotal")] int DoneTotal = 0,
    [property: JsonPropertyName("pace")] FinishPace? Pace = null,
    [property: JsonPropertyName("flush"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool FlushPending = false,
    [property: JsonPropertyName("past"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableDictionary<string, PastTicket>? Past = null,
    [property: JsonPropertyName("staff"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableList<Receipt>? StaffReceipts = null,
    [property: JsonPropertyName("refused"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableList<Receipt>? Refused = null,
    [property: JsonPropertyName("publisher"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PublisherLease? Publisher = null)
{
    /// <summary>A clinic that has never been used: its first operation opens the current service day.</summary>
    public static ClinicQueueState New(string clinic) => new(
        clinic,
        DateOnly.MinValue,
        0,
        0,
        string.Empty,
        ImmutableList<Ticket>.Empty,
        ImmutableDictionary<string, int>.Empty,
        ImmutableList<Receipt>.Empty,
        ImmutableList<QueueEvent>.Empty,
        false);

    public static string UserKey(string user) => user.ToUpperInvariant();

    /// <summary>The number being served: the lowest ticket still waiting, or 0.</summary>
    [JsonIgnore]
    public int Current => Tickets.FirstOrDefault(t => t.IsWaiting)?.Number ?? 0;

    [JsonIgnore]
    public int WaitingCount => Tickets.Count(t => t.IsWaiting);

    [JsonIgnore]
    public int DoneCount => DoneTotal;

    /// <summary>The user's newest ticket of the day, whatever its status, also once it has left <see cref="Tickets"/>.</summary>
    public Ticket? LatestTicketOf(string user) =>
        Tickets.LastOrDefault(t => t.BelongsTo(user))
        ?? (Past is not null && Past.TryGetValue(UserKey(user), out var past) ? past.ToTicket(user, ServiceDay) : null);

    public Ticket? WaitingTicketOf(string user) => Tickets.FirstOrDefault(t => t.IsWaiting && t.BelongsTo(user));

    /// <summary>How many waiting tickets have a lower number.</summary>
    public int AheadOf(int number) => Tickets.Count(t => t.IsWaiting && t.Number < number);

    public Receipt? ReceiptFor(string requestId) =>
        Receipts.FirstOrDefault(r => r.RequestId == requestId)
        ?? StaffReceipts?.FirstOrDefault(r => r.RequestId == requestId)
        ?? Refused?.FirstOrDefault(r => r.RequestId == requestId);

    /// <summary>Wrong PINs this service day over all patients.</summary>
    [JsonIgnore]
    public int WrongPins => PinFailures.Values.Sum();

    public bool IsPinLocked(string user, QueueRules rules) =>
        PinFailures.TryGetValue(UserKey(user), out var failures) && failures >= rules.MaxPinAttempts;

    /// <summary>
    /// The state as of <paramref name="now"/>: a fresh queue with a new PIN when a new service day has begun.
    /// A caller whose clock lags behind never takes the queue back to an earlier day.
    /// </summary>
    public ClinicQueueState OnDayOf(DateTimeOffset now, QueueRules rules, IPinGenerator pins)
    {
        var day = rules.ServiceDayOf(now);
        if (day <= ServiceDay)
        {
            return this;
        }

        return this with
        {
            ServiceDay = day,
            Version = Version + 1,
            LastNumber = 0,
            Pin = pins.NewPin(rules.PinDigits),
            Tickets = ImmutableList<Ticket>.Empty,
            PinFailures = ImmutableDictionary<string, int>.Empty,
            Round = 0,
            DoneTotal = 0,
            Pace = null,
            Past = null,
        };
    }

    /// <summary>
    /// How the queue looks on <paramref name="today"/> without changing anything: a clinic not yet
    /// touched today shows an empty queue, not yesterday's.
    /// </summary>
    public ClinicQueueState AsSeenOn(DateOnly today) =>
        today <= ServiceDay
            ? this
            : this with
            {
                ServiceDay = today,
                LastNumber = 0,
                Pin = string.Empty,
                Tickets = ImmutableList<Ticket>.Empty,
                PinFailures = ImmutableDictionary<string, int>.Empty,
                Round = 0,
                DoneTotal = 0,
                Pace = null,
                Past = null,
            };

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
    /// <summary>The ticket this state's last change marked DONE, if that is what it did (and not a repeat or a wrong PIN).</summary>
    public Ticket? JustDone(ClinicQueueState before) =>
        Version != before.Version && Outbox.LastOrDefault() is { Type: QueueEvent.TicketDone } done && done.Version == Version
            ? LatestTicketOf(done.User!)
            : null;

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
            var key = UserKey(user);
            var failed = today with
            {
                Version = today.Version + 1,
                PinFailures = today.PinFailures.SetItem(key, today.PinFailures.GetValueOrDefault(key) + 1),
            };
            return failed.WithReceipt(requestId, ReceiptOutcome.InvalidPin, ticket.Number, now);
        }

        if (ticket.Status == TicketStatus.Done)
        {
            return today.WithReceipt(requestId, ReceiptOutcome.Done, ticket.Number, now, ticket.Visit);
        }

        // A patient called as a no-show who turns up late and is examined is still done.
        var done = ticket with { Status = TicketStatus.Done, FinishedAt = now };
        if (today.Tickets.Contains(ticket))
        {
            var finished = (today with
            {
                Version = today.Version + 1,
                Tickets = today.Tickets.Replace(ticket, done),
                DoneTotal = today.DoneTotal + 1,
                Pace = ticket.IsWaiting ? FinishPace.After(today.Pace, now) : today.Pace?.LastAt(now),
            }).Recording(QueueEvent.TicketDone, done, rules.ToLocal(now)).WithoutOldFinished(now);
            return finished.WithReceipt(requestId, ReceiptOutcome.Done, ticket.Number, now, ticket.Visit);
        }

        // A no-show remembered after its ticket left the state (possibly of a round before a reset).
        var userKey = UserKey(user);
        var past = today.Past![userKey];
        var remembered = (today with
        {
            Version = today.Version + 1,
            Past = today.Past.SetItem(userKey, past with { Status = TicketStatus.Done }),
            DoneTotal = past.Round == today.Round ? today.DoneTotal + 1 : today.DoneTotal,
            Pace = today.Pace?.LastAt(now),
        }).Recording(QueueEvent.TicketDone, done, rules.ToLocal(now), past.Round);
        return remembered.WithReceipt(requestId, ReceiptOutcome.Done, ticket.Number, now, ticket.Visit);
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
            return today.CalledBefore(asked) is { } earlier
                ? today.WithStaffReceipt(requestId, ReceiptOutcome.Called, asked, now, earlier.Current, earlier.Waiting)
                : served is null
                    ? today.WithStaffReceipt(requestId, ReceiptOutcome.QueueEmpty, null, now)
                    : today.WithStaffReceipt(requestId, ReceiptOutcome.NotCurrent, asked, now);
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

    /// <summary>
    /// How the queue stood after ticket <paramref name="number"/> of this round was called as a no-show: the call's own
    /// receipt while it is kept, else the queue now. Null when that ticket is not a no-show of this round.
    /// </summary>
    private (int Current, int Waiting)? CalledBefore(int number)
    {
        var noShow = Tickets.Any(t => t.Number == number && t.Status == TicketStatus.NoShow)
            || (Past?.Values.Any(p => p.Number == number && p.Round == Round && p.Status == TicketStatus.NoShow) ?? false);
        if (!noShow)
        {
            return null;
        }

        return StaffReceipts?.LastOrDefault(r => r.Outcome == ReceiptOutcome.Called && r.Number == number) is { } call
            ? (call.Current, call.Waiting)
            : (Current, WaitingCount);
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
        // A patient's waiting ticket is their latest: what they finished before it is behind it too.
        var cleared = today.Tickets.Where(t => t.IsWaiting).Select(t => UserKey(t.User)).ToHashSet();
        var remembered = today.Remembering(today.Tickets.Where(t => !cleared.Contains(UserKey(t.User))));
        var fresh = (remembered with
        {
            Past = remembered.Past?.RemoveRange(cleared),
            Version = today.Version + 1,
            LastNumber = 0,
            Tickets = ImmutableList<Ticket>.Empty,
            PinFailures = ImmutableDictionary<string, int>.Empty,
            Round = today.Round + 1,
            DoneTotal = 0,
            Pace = null,
        }).Recording(QueueEvent.QueueReset, null, rules.ToLocal(now));
        return fresh.WithStaffReceipt(requestId, ReceiptOutcome.Reset, null, now);
    }

    /// <summary>
    /// Hands the oldest unpublished changes to the publisher, only those stored up to <paramref name="storedUpTo"/>: a
    /// change made earlier in the batch that runs this call is not stored yet, and may never be. When there are none,
    /// the publisher is done: changes left (this batch's own) are the clinic's to send again.
    /// </summary>
    public (ClinicQueueState State, IReadOnlyList<QueueEvent> Batch) TakeOutbox(int max, long storedUpTo = long.MaxValue)
    {
        // The outbox is oldest first, so the stored changes are its head.
        var batch = Outbox.TakeWhile(e => e.Version <= storedUpTo).Take(max).ToList();
        return batch.Count == 0 ? (WithoutPublisher(), []) : (this, batch);
    }

    /// <summary>Forgets the changes up to <paramref name="version"/>, now that they are published.</summary>
    public ClinicQueueState AcknowledgeOutbox(long version) =>
        this with { Outbox = Outbox.RemoveAll(e => e.Version <= version) };

    /// <summary>The outbox is <paramref name="publisher"/>'s from <paramref name="now"/> on.</summary>
    public ClinicQueueState PublishingBy(string publisher, DateTimeOffset now) =>
        this with { Publishing = true, Publisher = new PublisherLease(publisher, now) };

    /// <summary>Nobody publishes: the clinic's own batches send its changes again.</summary>
    public ClinicQueueState WithoutPublisher() => this with { Publishing = false, Publisher = null };

    /// <summary>Whether <paramref name="publisher"/> holds the outbox (and not one the clinic has replaced).</summary>
    public bool IsPublisher(string? publisher) => Publishing && Publisher is { } lease && lease.Id == publisher;

    /// <summary>The publisher that holds the outbox was heard from at <paramref name="now"/>.</summary>
    public ClinicQueueState HeardFromPublisherAt(DateTimeOffset now) =>
        Publisher is { } lease ? this with { Publisher = lease with { SeenAt = now } } : this;

    /// <summary>
    /// Whether the outbox waits on a publisher that has said nothing for longer than <paramref name="limit"/>, or on one
    /// the clinic knows nothing about (a state stored before publishers were named).
    /// </summary>
    public bool PublisherSilentAt(DateTimeOffset now, TimeSpan limit) =>
        Publishing && (Publisher is not { } lease || lease.IsSilentAt(now, limit));

    /// <summary>
    /// Keeps at most <paramref name="max"/> unsent changes. Beyond it the oldest go, and a tenth of the cap with them, so
    /// that a queue that stays down costs one logged loss per batch of changes instead of one per operation. The history
    /// and other consumers miss what is dropped; the queue itself (tickets, numbers, PIN) is not affected.
    /// </summary>
    /// <param name="storedUpTo">Only changes up to this version count: those the queue could have taken already.</param>
    /// <returns>The state to keep and the changes dropped from it, oldest first (none while under the cap).</returns>
    public (ClinicQueueState State, IReadOnlyList<QueueEvent> Dropped) WithOutboxCappedAt(int max, long storedUpTo = long.MaxValue)
    {
        var waiting = Outbox.Count(e => e.Version <= storedUpTo);
        if (waiting <= max)
        {
            return (this, []);
        }

        // The outbox is oldest first, so what counts is its head.
        var drop = waiting - (max - (max / 10));
        return (this with { Outbox = Outbox.RemoveRange(0, drop) }, Outbox.Take(drop).ToList());
    }

    /// <summary>Whether there is news that nobody is publishing yet.</summary>
    [JsonIgnore]
    public bool NeedsSending => !Outbox.IsEmpty && !Publishing;

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

    /// <summary>
    /// Compares in constant time, so the time a wrong PIN takes to refuse tells nothing about how much of it was right.
    /// </summary>
    private static bool PinMatches(string given, string expected) =>
        expected.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <param name="at">In clinic time, as every reply gives times: consumers read the clinic's hour from it as it is.</param>
    /// <param name="round">The ticket's round when it is not the current one (a no-show of a round before a reset).</param>
    private ClinicQueueState Recording(string type, Ticket? ticket, DateTimeOffset at, int? round = null) =>
        this with { Outbox = Outbox.Add(QueueEvent.Of(this, type, ticket, at) with { Round = round ?? Round }) };

    private ClinicQueueState WithReceipt(string requestId, ReceiptOutcome outcome, int? number, DateTimeOffset now, string? visit = null) =>
        this with
        {
            Receipts = Keeping(Receipts.RemoveAll(r => r.RequestId == requestId), new Receipt(requestId, outcome, number, Current, WaitingCount, now, visit), QueueRules.ReceiptLifetime, QueueRules.MaxReceipts),
        };

    private ClinicQueueState WithRefusal(string requestId, DateTimeOffset now) =>
        this with
        {
            Refused = Keeping(Refused, new Receipt(requestId, ReceiptOutcome.QueueFull, null, Current, WaitingCount, now), QueueRules.RefusalLifetime, QueueRules.MaxRefused),
        };

    /// <summary>
    /// Keeps a staff action's outcome for <see cref="QueueRules.StaffReceiptLifetime"/>, the time within which a retry
    /// of it must not be applied again.
    /// </summary>
    /// <param name="current">The figures to answer with when they are not the queue's now (a repeated call).</param>
    private ClinicQueueState WithStaffReceipt(
        string requestId, ReceiptOutcome outcome, int? number, DateTimeOffset now, int? current = null, int? waiting = null) =>
        this with
        {
            StaffReceipts = Keeping(StaffReceipts, new Receipt(requestId, outcome, number, current ?? Current, waiting ?? WaitingCount, now), QueueRules.StaffReceiptLifetime, QueueRules.MaxStaffReceipts),
        };

    /// <summary>Adds <paramref name="receipt"/> to a trail that keeps outcomes for <paramref name="lifetime"/> and at most <paramref name="max"/> of them, oldest out first.</summary>
    private static ImmutableList<Receipt> Keeping(ImmutableList<Receipt>? trail, Receipt receipt, TimeSpan lifetime, int max)
    {
        var oldest = receipt.At - lifetime;
        var kept = (trail ?? ImmutableList<Receipt>.Empty).RemoveAll(r => r.At < oldest);
        if (kept.Count >= max)
        {
            kept = kept.RemoveRange(0, kept.Count - max + 1);
        }

        return kept.Add(receipt);
    }
}
