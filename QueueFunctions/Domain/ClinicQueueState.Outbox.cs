namespace QueueFunctions.Domain;

/// <summary>
/// The state's changes on their way to other systems (<see cref="ClinicOutbox"/>): each rule records the change it made,
/// and the clinic's entity and its publisher take and acknowledge them, every step returning the next state to store.
/// </summary>
public sealed partial record ClinicQueueState
{
    /// <summary>The ticket this state's last change marked DONE, if that is what it did (and not a repeat or a wrong PIN).</summary>
    public Ticket? JustDone(ClinicQueueState before) =>
        Version != before.Version && Outbox.Changes.LastOrDefault() is { Type: QueueEvent.TicketDone } done && done.Version == Version
            ? LatestTicketOf(done.User!)
            : null;

    /// <inheritdoc cref="ClinicOutbox.Take"/>
    public (ClinicQueueState State, IReadOnlyList<QueueEvent> Batch) TakeOutbox(int max, long storedUpTo = long.MaxValue)
    {
        var (outbox, batch) = Outbox.Take(max, storedUpTo);
        return (WithOutbox(outbox), batch);
    }

    /// <inheritdoc cref="ClinicOutbox.Acknowledge"/>
    public ClinicQueueState AcknowledgeOutbox(long version) => this with { Outbox = Outbox.Acknowledge(version) };

    /// <inheritdoc cref="ClinicOutbox.CappedAt"/>
    public (ClinicQueueState State, IReadOnlyList<QueueEvent> Dropped) WithOutboxCappedAt(int max, long storedUpTo = long.MaxValue)
    {
        var (outbox, dropped) = Outbox.CappedAt(max, storedUpTo);
        return (WithOutbox(outbox), dropped);
    }

    /// <summary>The state with <paramref name="outbox"/>: this one itself when the outbox is unchanged, so a caller can tell.</summary>
    private ClinicQueueState WithOutbox(ClinicOutbox outbox) => ReferenceEquals(outbox, Outbox) ? this : this with { Outbox = outbox };

    /// <param name="at">In clinic time, as every reply gives times: consumers read the clinic's hour from it as it is.</param>
    /// <param name="round">The ticket's round when it is not the current one (a no-show of a round before a reset).</param>
    private ClinicQueueState Recording(string type, Ticket? ticket, DateTimeOffset at, int? round = null) =>
        this with { Outbox = Outbox.Add(QueueEvent.Of(this, type, ticket, at) with { Round = round ?? Round }) };
}
