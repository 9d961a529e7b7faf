using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// The clinic's side of <c>queue-events</c>: what a batch sends itself, what it hands to a publisher orchestration, and
/// how it notices a publisher that ended badly.
/// </summary>
public sealed partial class ClinicQueueEntity
{
    /// <summary>
    /// How long one batch of operations may spend sending stored changes to <c>queue-events</c>, all groups together.
    /// Every request the batch answers waits for it, within <c>Queue:ConfirmTimeoutSeconds</c>: a queue that is down,
    /// hanging or only slow must not turn enters into 504s (it was 10 s, the confirmation limit itself). On a working
    /// queue a group takes tens of milliseconds.
    /// </summary>
    public static readonly TimeSpan SendBudget = TimeSpan.FromSeconds(1);

    /// <summary>Changes sent, then acknowledged, at a time.</summary>
    public const int SendChunk = 20;

    /// <summary>
    /// The version the engine had stored when this batch of operations began. The runtime creates the entity object
    /// anew for every batch (the Functions host through <c>TaskEntityDispatcher.DispatchAsync&lt;T&gt;</c>, the local
    /// host likewise) and stores the state once, after the batch: a change of an earlier batch is stored, a change of
    /// this one is not yet, and may never be if the batch fails. Only stored changes may be sent, by the clinic or handed
    /// to its publisher, or a failed batch would leave <c>queue-events</c> with a change that never happened, under a
    /// version that a later change reuses. (On the Azure Storage provider a batch's messages, a reply to the publisher
    /// among them, go out before its state is written, so a reply can outlive a batch that is never stored.)
    /// </summary>
    private long? storedVersion;

    private long StoredVersion => storedVersion ??= State.Version;

    /// <summary>Signalled by the clinic itself: sends what earlier batches stored and nobody has sent yet.</summary>
    public Task Flush() => CommitAsync(State with { Outbox = State.Outbox with { FlushPending = false } });

    /// <summary>
    /// Called by the publisher: the oldest stored changes not yet published, or none, which ends its run. A publisher
    /// the clinic has replaced gets none, so two never send side by side for long.
    /// </summary>
    public IReadOnlyList<QueueEvent> TakeOutbox(OutboxRequest request)
    {
        if (!State.Outbox.IsPublisher(request.Publisher))
        {
            logger.LogInformation("Publisher {Publisher} of clinic {Clinic} no longer holds the outbox and ends", request.Publisher, State.Clinic);
            return [];
        }

        var heard = State with { Outbox = State.Outbox.HeardFromPublisherAt(watch.Clock.GetUtcNow()) };
        var (state, batch) = heard.TakeOutbox(request.Max, StoredVersion);

        // A run that ends leaves this batch's own changes, if any, to the clinic: the flush sends them once stored.
        State = WithFlush(state);
        return batch;
    }

    /// <summary>Called by the publisher once a batch is in the queue, before it starts afresh.</summary>
    public void AcknowledgeOutbox(long version) => State = State.AcknowledgeOutbox(version);

    /// <summary>
    /// Called by the publisher once changes are in the queue: forgets them and hands out the next in one operation, since
    /// every operation of the publisher is a batch that patients' enters wait behind. What was sent is acknowledged
    /// whoever sent it.
    /// </summary>
    public IReadOnlyList<QueueEvent> AcknowledgeAndTakeOutbox(OutboxAcknowledgement acknowledgement)
    {
        State = State.AcknowledgeOutbox(acknowledgement.Version);
        return TakeOutbox(new OutboxRequest(acknowledgement.Publisher ?? "", acknowledgement.Max));
    }

    /// <summary>
    /// Signalled by the clinic itself a silence limit after it last heard from <paramref name="publisher"/>: a clinic
    /// that nobody uses would otherwise never notice that its publisher ended badly, and its last changes would wait for
    /// its next patient. While the publisher is heard from, the check comes again; once it is silent, the commit forgets
    /// it and sends the changes again.
    /// </summary>
    public Task CheckPublisher(string publisher)
    {
        var now = watch.Clock.GetUtcNow();
        if (State.Outbox.IsPublisher(publisher) && State.Outbox.Publisher is { } lease && !lease.IsSilentAt(now, watch.SilenceLimit))
        {
            ScheduleCheck(lease);
        }

        return CommitAsync(State);
    }

    /// <summary>
    /// Signals the clinic itself to send changes nobody is sending yet, unless such a signal is on its way. Not a
    /// scheduled signal: the queue message's visibility delay is whole seconds, so the last fraction of a second before
    /// it is due (all of a 1 s delay) is spent with the message visible, handed back by the engine each time it arrives
    /// early: a work item every few milliseconds (measured with a 1 s delay: about 500 storage requests per ticket at one
    /// patient a second).
    /// </summary>
    private ClinicQueueState WithFlush(ClinicQueueState next)
    {
        if (!next.Outbox.NeedsSending || next.Outbox.FlushPending)
        {
            return next;
        }

        Context.SignalEntity(Context.Id, Operations.Flush);
        return next with { Outbox = next.Outbox with { FlushPending = true } };
    }

    /// <summary>
    /// A publisher silent beyond <see cref="PublisherWatch.SilenceLimit"/> has ended badly: waiting for it would keep every
    /// later change in the outbox until the cap drops it. The clinic takes its outbox back, sends what it can and hands
    /// the rest to a new publisher.
    /// </summary>
    private ClinicQueueState WithoutSilentPublisher(ClinicQueueState next)
    {
        if (!next.Outbox.PublisherSilentAt(watch.Clock.GetUtcNow(), watch.SilenceLimit))
        {
            return next;
        }

        logger.LogWarning(
            "Publisher {Publisher} of clinic {Clinic} has not been heard from since {SeenAt:O} (limit {Limit}); the clinic takes its {Count} queue events back",
            next.Outbox.Publisher?.Id, next.Clinic, next.Outbox.Publisher?.SeenAt, watch.SilenceLimit, next.Outbox.Count);
        return next with { Outbox = next.Outbox.WithoutPublisher() };
    }

    /// <summary>
    /// Starts a publisher orchestration for the outbox, in the same step that stores the state naming it, and the check
    /// that notices if it ends badly. The instance id is new each time: a replacement must not be taken for the
    /// publisher it replaces, whatever the engine keeps of that one.
    /// </summary>
    private ClinicQueueState StartPublisher(ClinicQueueState next)
    {
        var id = $"queue-events-{next.Clinic}-{next.Version}-{Guid.NewGuid().ToString("N")[..8]}";
        Context.ScheduleNewOrchestration(new TaskName(QueueEventsPublisher.OrchestratorName), next.Clinic, new StartOrchestrationOptions(id));
        var publishing = next.Outbox.PublishingBy(id, watch.Clock.GetUtcNow());
        ScheduleCheck(publishing.Publisher!);
        return next with { Outbox = publishing };
    }

    /// <summary>
    /// A scheduled signal, unlike <see cref="Flush"/>: its last second before it is due costs the engine's early
    /// deliveries (see <see cref="WithFlush"/>), but only once per silence limit and only while a publisher holds the
    /// outbox, which a queue that takes a group of changes within a second never has it do.
    /// </summary>
    private void ScheduleCheck(PublisherLease lease) =>
        Context.SignalEntity(
            Context.Id,
            Operations.CheckPublisher,
            lease.Id,
            new SignalEntityOptions { SignalTime = lease.SeenAt + watch.SilenceLimit + PublisherWatch.CheckMargin });

    /// <summary>
    /// Applied to what earlier batches stored and is still unsent after this operation's send: a healthy queue never
    /// reaches the cap, however many changes one batch makes.
    /// </summary>
    private ClinicQueueState WithinOutboxCap(ClinicQueueState next, long stored)
    {
        var (kept, dropped) = next.WithOutboxCappedAt(rules.MaxOutbox, stored);
        if (dropped.Count > 0)
        {
            logger.LogError(
                "Clinic {Clinic} dropped {Count} queue events, versions {First} to {Last}, that queue-events has not taken: more than {Max} (Queue:MaxOutbox) were waiting. The history and other consumers of queue-events miss them; the queue itself is unaffected",
                next.Clinic, dropped.Count, dropped[0].Version, dropped[^1].Version, rules.MaxOutbox);
        }

        return kept;
    }

    /// <summary>
    /// Sends the stored changes group by group within <see cref="SendBudget"/>. A queue that takes groups but not all of
    /// them in time (a rush's backlog, a loaded account) keeps them for the next batch, which a flush makes sure of: the
    /// clinic drains its own backlog a second at a time, with no orchestration and no extra batches of its entity, which
    /// the patients' own batches would otherwise wait behind. A queue that takes nothing in time (down, hanging, or so
    /// slow that one group does not fit) goes to a publisher at once, so no later batch waits for it either.
    /// </summary>
    private async Task<ClinicQueueState> SendOutboxAsync(ClinicQueueState next, long stored)
    {
        var batch = next.Outbox.StoredUpTo(stored).ToList();
        var sent = 0;
        using var budget = new CancellationTokenSource(SendBudget);
        try
        {
            foreach (var chunk in batch.Chunk(SendChunk))
            {
                await events.SendAsync(chunk, budget.Token);
                sent += chunk.Length;
                next = next.AcknowledgeOutbox(chunk[^1].Version);
            }

            return next;
        }
        catch (Exception ex) when (sent > 0)
        {
            logger.LogInformation("Queue events {First}-{Last} of clinic {Clinic}: {Sent} sent within {Budget} ({Reason}); the rest go with the next batch",
                batch[0].Version, batch[^1].Version, next.Clinic, sent, SendBudget, ex.GetType().Name);
            return next;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            // No fault, so no warning with a stack trace: the queue is only slow.
            logger.LogInformation("Queue events {First}-{Last} of clinic {Clinic}: none taken within {Budget}; a publisher sends them",
                batch[0].Version, batch[^1].Version, next.Clinic, SendBudget);
            return StartPublisher(next);
        }
        catch (Exception ex)
        {
            // Whatever failed (storage, network), the changes stay in the outbox and the publisher owns them from here: the
            // operation itself must not fail, or the patient's ticket would be lost with it.
            logger.LogWarning(ex, "Queue events {First}-{Last} of clinic {Clinic} were refused; a publisher sends them",
                batch[0].Version, batch[^1].Version, next.Clinic);
            return StartPublisher(next);
        }
    }
}
