using System.Collections;
using System.Collections.Immutable;

namespace QueueFunctions.Domain;

/// <summary>
/// A clinic's changes not yet confirmed as published to <c>queue-events</c>, oldest first, and who is sending them. A
/// change is stored with its place here and leaves only once it is sent, so a crash in between sends it again (at least
/// once, same id and content) but never loses it. Reads as the list of its changes.
/// </summary>
/// <param name="Changes">The unpublished changes in version order: the queue's versions only grow.</param>
/// <param name="Publishing">Whether a publisher is draining the outbox, so only one runs per clinic.</param>
/// <param name="Publisher">
/// The publisher that holds the outbox while <paramref name="Publishing"/>, and when it was last heard from; none in a
/// state stored before publishers were named.
/// </param>
/// <param name="FlushPending">Whether the clinic has signalled itself to send changes it stored but has not sent.</param>
public sealed record ClinicOutbox(
    ImmutableList<QueueEvent> Changes, bool Publishing = false, PublisherLease? Publisher = null, bool FlushPending = false)
    : IReadOnlyList<QueueEvent>
{
    public static readonly ClinicOutbox Empty = new(ImmutableList<QueueEvent>.Empty);

    public int Count => Changes.Count;

    public bool IsEmpty => Changes.IsEmpty;

    public QueueEvent this[int index] => Changes[index];

    /// <summary>Whether there is news that nobody is publishing yet.</summary>
    public bool NeedsSending => !IsEmpty && !Publishing;

    public ClinicOutbox Add(QueueEvent change) => this with { Changes = Changes.Add(change) };

    /// <summary>
    /// The changes stored up to <paramref name="storedUpTo"/>: a change made earlier in the batch that is running is not
    /// stored yet, and may never be. The outbox is oldest first, so they are its head.
    /// </summary>
    public IEnumerable<QueueEvent> StoredUpTo(long storedUpTo) => Changes.TakeWhile(e => e.Version <= storedUpTo);

    /// <summary>
    /// Hands the oldest stored changes to the publisher. When there are none, the publisher is done: changes left (this
    /// batch's own) are the clinic's to send again.
    /// </summary>
    public (ClinicOutbox Outbox, IReadOnlyList<QueueEvent> Batch) Take(int max, long storedUpTo = long.MaxValue)
    {
        var batch = StoredUpTo(storedUpTo).Take(max).ToList();
        return batch.Count == 0 ? (WithoutPublisher(), []) : (this, batch);
    }

    /// <summary>Forgets the changes up to <paramref name="version"/>, now that they are published.</summary>
    public ClinicOutbox Acknowledge(long version) => this with { Changes = Changes.RemoveAll(e => e.Version <= version) };

    /// <summary>
    /// Keeps at most <paramref name="max"/> unsent changes. Beyond it the oldest go, and a tenth of the cap with them, so
    /// that a queue that stays down costs one logged loss per batch of changes instead of one per operation. The history
    /// and other consumers miss what is dropped; the queue itself (tickets, numbers, PIN) is not affected.
    /// </summary>
    /// <param name="storedUpTo">Only changes up to this version count: those the queue could have taken already.</param>
    /// <returns>The outbox to keep and the changes dropped from it, oldest first (none while under the cap).</returns>
    public (ClinicOutbox Outbox, IReadOnlyList<QueueEvent> Dropped) CappedAt(int max, long storedUpTo = long.MaxValue)
    {
        var waiting = Changes.Count(e => e.Version <= storedUpTo);
        if (waiting <= max)
        {
            return (this, []);
        }

        var drop = waiting - (max - (max / 10));
        return (this with { Changes = Changes.RemoveRange(0, drop) }, Changes.Take(drop).ToList());
    }

    /// <summary>The outbox is <paramref name="publisher"/>'s from <paramref name="now"/> on.</summary>
    public ClinicOutbox PublishingBy(string publisher, DateTimeOffset now) =>
        this with { Publishing = true, Publisher = new PublisherLease(publisher, now) };

    /// <summary>Nobody publishes: the clinic's own batches send its changes again.</summary>
    public ClinicOutbox WithoutPublisher() => this with { Publishing = false, Publisher = null };

    /// <summary>Whether <paramref name="publisher"/> holds the outbox (and not one the clinic has replaced).</summary>
    public bool IsPublisher(string? publisher) => Publishing && Publisher is { } lease && lease.Id == publisher;

    /// <summary>The publisher that holds the outbox was heard from at <paramref name="now"/>.</summary>
    public ClinicOutbox HeardFromPublisherAt(DateTimeOffset now) =>
        Publisher is { } lease ? this with { Publisher = lease with { SeenAt = now } } : this;

    /// <summary>
    /// Whether the outbox waits on a publisher that has said nothing for longer than <paramref name="limit"/>, or on one
    /// the clinic knows nothing about (a state stored before publishers were named).
    /// </summary>
    public bool PublisherSilentAt(DateTimeOffset now, TimeSpan limit) =>
        Publishing && (Publisher is not { } lease || lease.IsSilentAt(now, limit));

    public IEnumerator<QueueEvent> GetEnumerator() => Changes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
