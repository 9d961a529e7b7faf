namespace QueueFunctions.History;

/// <summary>
/// What the history knows of one ticket. Each kind of queue event fills its own fields, so the record comes out
/// the same whatever order, and however often, the events arrive.
/// </summary>
/// <param name="Round">Resets of the service day before the ticket was issued: numbers restart at 1 in each round.</param>
/// <param name="IssuedAt">Null until the ticket's TICKET_ISSUED event has arrived.</param>
/// <param name="NoShowAt">When staff called the ticket as a no-show.</param>
/// <param name="DoneAt">When the ticket was finished with the clinic's PIN (also after a no-show, for a late patient).</param>
public sealed record TicketRecord(
    int Round,
    int Number,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? NoShowAt,
    DateTimeOffset? DoneAt)
{
    public bool IsDone => DoneAt is not null;

    public bool IsNoShow => DoneAt is null && NoShowAt is not null;

    public bool IsStillWaiting => DoneAt is null && NoShowAt is null;

    /// <summary>When the ticket first left the queue, by either way out.</summary>
    public DateTimeOffset? LeftQueueAt => (NoShowAt, DoneAt) switch
    {
        ({ } noShow, { } done) => noShow < done ? noShow : done,
        (var noShow, var done) => noShow ?? done,
    };
}
