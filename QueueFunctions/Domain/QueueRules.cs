namespace QueueFunctions.Domain;

/// <summary>The clinic-wide rules every queue operation follows.</summary>
public sealed record QueueRules(
    TimeZoneInfo TimeZone,
    TimeOnly ServiceDayStartsAt,
    int PinDigits = 4,
    int MaxPinAttempts = 5,
    int MaxOutbox = QueueRules.DefaultMaxOutbox,
    int MaxWaiting = QueueRules.DefaultMaxWaiting)
{
    /// <summary>
    /// Waiting tickets a clinic holds at most (<c>Queue:MaxWaiting</c>). Far more than a waiting room seats, so it only
    /// stops a client that takes tickets for made-up patients: the flood limit alone lets one add about 70,000 an hour.
    /// </summary>
    public const int DefaultMaxWaiting = 1000;

    /// <summary>
    /// How long a staff action's outcome is kept: a <c>call</c> or <c>reset</c> retried within it (same
    /// <c>Idempotency-Key</c>) is answered as the first and not applied again, whatever happened in between.
    /// </summary>
    public static readonly TimeSpan StaffReceiptLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A cap on kept staff outcomes. Only staff actions (behind the function key) write them, never patients' traffic,
    /// so the cap is sized for staff alone: 256 in 10 minutes is a call every 2.3 s without a pause, several times what
    /// one clinic's staff do. At about 40 characters each, a full list costs 10 KB of state.
    /// </summary>
    public const int MaxStaffReceipts = 256;

    /// <summary>
    /// Unsent changes a clinic keeps for <c>queue-events</c> (<c>Queue:MaxOutbox</c>). The outbox lives in the clinic's
    /// state, which is read and written whole on every operation, so a queue that stays unreachable must not grow it
    /// without bound. 2,000 (about 400 KB of state) covers a busy clinic's whole day, two changes per patient, so only an
    /// outage that lasts the day reaches it.
    /// </summary>
    public const int DefaultMaxOutbox = 2000;

    /// <summary>How long the outcome of a signalled request stays readable.</summary>
    public static readonly TimeSpan ReceiptLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A cap on kept outcomes, so a flood of requests cannot grow the state without bound. A request reads its receipt
    /// within a second or so, so this only has to cover the done, call and reset requests of one clinic in flight at
    /// once; a larger cap pushed a busy clinic's state past the size the engine keeps in its table, into a blob read
    /// and written on every operation.
    /// </summary>
    public const int MaxReceipts = 64;

    /// <summary>How long a refused enter's answer is kept: its requester reads it within a second or so.</summary>
    public static readonly TimeSpan RefusalLifetime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A cap on kept refusals. A full clinic refuses most enters before they are signalled (the instance has seen it
    /// full); those that race the clinic filling up arrive in batches of up to 100 per signal, a few signals per batch,
    /// and each requester must find its answer. 512 covers a flood limit's burst (300 per instance) and then some, at
    /// about 35 characters each.
    /// </summary>
    public const int MaxRefused = 512;

    /// <summary>How long a finished ticket stays in the clinic's state, for repeated <c>done</c> requests and status reads.</summary>
    public static readonly TimeSpan FinishedTicketLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// A cap on finished tickets kept in the state, so that a busy hour cannot grow it either: with the receipts, the
    /// state stays well under the size the engine keeps in its table row.
    /// </summary>
    public const int MaxFinishedTickets = 50;

    /// <summary>The service day that <paramref name="now"/> belongs to: it starts at <see cref="ServiceDayStartsAt"/> local time, not at midnight.</summary>
    public DateOnly ServiceDayOf(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZone);
        return DateOnly.FromDateTime(local.DateTime - ServiceDayStartsAt.ToTimeSpan());
    }

    /// <summary>The instant <paramref name="day"/> ends: the next day's start, local time.</summary>
    public DateTimeOffset EndOf(DateOnly day)
    {
        var local = day.AddDays(1).ToDateTime(ServiceDayStartsAt);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);
}
