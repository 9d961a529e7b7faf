using System.Collections.Immutable;

namespace QueueFunctions.Domain;

/// <summary>
/// What the state answers a signalled request with. Signals return nothing to their sender, so the state keeps a short
/// trail of outcomes that the sender reads back by request id, and that tells a retry from a new request. Three trails,
/// each with its own lifetime and cap, so that no kind of traffic pushes out the outcome another kind's retry needs.
/// </summary>
public sealed partial record ClinicQueueState
{
    public Receipt? ReceiptFor(string requestId) =>
        Receipts.FirstOrDefault(r => r.RequestId == requestId)
        ?? StaffReceipts?.FirstOrDefault(r => r.RequestId == requestId)
        ?? Refused?.FirstOrDefault(r => r.RequestId == requestId);

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

    /// <summary>
    /// Answers a call of ticket <paramref name="number"/> while another is served (<paramref name="served"/>, or none):
    /// as that call was answered once the ticket is a no-show of this round, refused otherwise.
    /// </summary>
    private ClinicQueueState AnsweringCallOf(int number, Ticket? served, string requestId, DateTimeOffset now) =>
        CalledBefore(number) is { } earlier
            ? WithStaffReceipt(requestId, ReceiptOutcome.Called, number, now, earlier.Current, earlier.Waiting)
            : served is null
                ? WithStaffReceipt(requestId, ReceiptOutcome.QueueEmpty, null, now)
                : WithStaffReceipt(requestId, ReceiptOutcome.NotCurrent, number, now);

    private ClinicQueueState WithReceipt(string requestId, ReceiptOutcome outcome, int? number, DateTimeOffset now, string? visit = null) =>
        this with
        {
            Receipts = Keeping(
                Receipts.RemoveAll(r => r.RequestId == requestId),
                new Receipt(requestId, outcome, number, Current, WaitingCount, now, visit),
                QueueRules.ReceiptLifetime,
                QueueRules.MaxReceipts),
        };

    private ClinicQueueState WithRefusal(string requestId, DateTimeOffset now) =>
        this with
        {
            Refused = Keeping(
                Refused, new Receipt(requestId, ReceiptOutcome.QueueFull, null, Current, WaitingCount, now), QueueRules.RefusalLifetime, QueueRules.MaxRefused),
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
            StaffReceipts = Keeping(
                StaffReceipts,
                new Receipt(requestId, outcome, number, current ?? Current, waiting ?? WaitingCount, now),
                QueueRules.StaffReceiptLifetime,
                QueueRules.MaxStaffReceipts),
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
