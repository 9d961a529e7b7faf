using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Queueing;
using QueueFunctions.Visits;

namespace QueueFunctions.Entities;

/// <summary>
/// One clinic's queue, keyed by the lower-case clinic id. The Durable runtime runs one operation at a
/// time per entity, which is what makes ticket numbers unique and gap-free; the rules live in the domain.
/// </summary>
public sealed class ClinicQueueEntity(QueueRules rules, IPinGenerator pins, IQueueEventsSender events, ILogger<ClinicQueueEntity> logger)
    : TaskEntity<ClinicQueueState>
{
    public const string Name = "ClinicQueue";

    /// <summary>
    /// How long one group of <see cref="SendChunk"/> stored changes may take to reach <c>queue-events</c>. A group that
    /// does not make it (the queue is down or hanging) before any other did hands the outbox to the publisher
    /// orchestration, with its retries, and operations stop waiting for the queue until it has drained the outbox.
    /// </summary>
    public static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one batch may spend sending a backlog, group after group, while the queue keeps taking them. A queue that
    /// is slow rather than down then holds the clinic's batches back (as many changes leave as arrive) instead of the
    /// backlog growing to the outbox cap; what is left after it goes with the next batch.
    /// </summary>
    public static readonly TimeSpan SendBudget = TimeSpan.FromSeconds(10);

    /// <summary>Changes sent, then acknowledged, at a time.</summary>
    public const int SendChunk = 20;

    /// <summary>
    /// The version the engine had stored when this batch of operations began. The runtime creates the entity object
    /// anew for every batch (the Functions host through <c>TaskEntityDispatcher.DispatchAsync&lt;T&gt;</c>, the local
    /// host likewise) and stores the state once, after the batch: a change of an earlier batch is stored, a change of
    /// this one is not yet, and may never be if the batch fails. Only stored changes may be sent, or a failed batch
    /// would leave <c>queue-events</c> with a change that never happened, under a version that a later change reuses.
    /// </summary>
    private long? storedVersion;

    public static class Operations
    {
        public const string Enter = nameof(ClinicQueueEntity.Enter);
        public const string EnterVisit = nameof(ClinicQueueEntity.EnterVisit);
        public const string Waiting = nameof(ClinicQueueEntity.Waiting);
        public const string EnterMany = nameof(ClinicQueueEntity.EnterMany);
        public const string Done = nameof(ClinicQueueEntity.Done);
        public const string Call = nameof(ClinicQueueEntity.Call);
        public const string Reset = nameof(ClinicQueueEntity.Reset);
        public const string Open = nameof(ClinicQueueEntity.Open);
        public const string TakeOutbox = nameof(ClinicQueueEntity.TakeOutbox);
        public const string AcknowledgeOutbox = nameof(ClinicQueueEntity.AcknowledgeOutbox);
        public const string AcknowledgeAndTakeOutbox = nameof(ClinicQueueEntity.AcknowledgeAndTakeOutbox);
        public const string Flush = nameof(ClinicQueueEntity.Flush);
    }

    public Task Enter(EnterCommand command) =>
        CommitAsync(State.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit));

    /// <summary>Several patients' enters carried by one signal, applied in the order they came.</summary>
    public Task EnterMany(IReadOnlyList<EnterCommand> commands) =>
        CommitAsync(commands.Aggregate(State, (state, command) => state.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit)));

    /// <summary>Called by a visit: the step's ticket, new or already held, and its number.</summary>
    public async Task<int> EnterVisit(EnterCommand command)
    {
        await CommitAsync(State.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit, capped: false));
        return State.WaitingTicketOf(command.User)!.Number;
    }

    /// <summary>Called by a visit choosing its next clinic: how many wait here now.</summary>
    public int Waiting(DateTimeOffset at) => State.AsSeenOn(rules.ServiceDayOf(at)).WaitingCount;

    /// <summary>
    /// A ticket of a visit that turns DONE starts the relay that moves the visit on, in the same step that stores the
    /// DONE: either both happen or neither does.
    /// </summary>
    public Task Done(DoneCommand command)
    {
        var next = State.Done(command.User, command.Pin, command.RequestId, command.At, rules, pins);
        if (next.JustDone(State) is { Visit: { } visit } done)
        {
            Context.ScheduleNewOrchestration(
                new TaskName(VisitStepRelay.Name),
                new VisitStepDone(visit, next.Clinic, done.Number, command.At),
                new StartOrchestrationOptions(VisitIds.RelayOf(visit, next.Clinic, next.Round, done.Number)));
        }

        // The counters are immutable: a new dictionary means this done counted a wrong PIN (or opened a new day, at 0).
        // Summing them only then keeps the common, right-PIN done free of it.
        if (!ReferenceEquals(next.PinFailures, State.PinFailures) && WrongPinAlarm.IsRaisedAt(next.WrongPins))
        {
            logger.LogWarning(
                "Clinic {Clinic} has had {WrongPins} wrong PINs from {Patients} patients this service day. Far more than mistyping explains may mean someone is guessing the PIN with many tickets: consider a longer Queue:PinDigits (SECURITY.md)",
                next.Clinic, next.WrongPins, next.PinFailures.Count);
        }

        return CommitAsync(next);
    }

    public Task Call(CallCommand command) =>
        CommitAsync(State.Call(command.RequestId, command.At, rules, pins, command.Number));

    public Task Reset(ClinicCommand command) =>
        CommitAsync(State.Reset(command.RequestId, command.At, rules, pins));

    /// <summary>Starts the service day (and its PIN) if it has not started yet; changes nothing otherwise.</summary>
    public Task Open(ClinicCommand command) =>
        CommitAsync(State.OnDayOf(command.At, rules, pins));

    /// <summary>Signalled by the clinic itself: sends what earlier batches stored and nobody has sent yet.</summary>
    public Task Flush() => CommitAsync(State with { FlushPending = false });

    /// <summary>Called by the publisher: the oldest unpublished changes, or none, which ends its run.</summary>
    public IReadOnlyList<QueueEvent> TakeOutbox(int max)
    {
        var (state, batch) = State.TakeOutbox(max);
        State = state;
        return batch;
    }

    /// <summary>Called by the publisher once a batch is in the queue.</summary>
    public void AcknowledgeOutbox(long version) => State = State.AcknowledgeOutbox(version);

    /// <summary>
    /// Called by the publisher once a batch is in the queue: forgets it and hands out the next in one operation, since
    /// every operation of the publisher is a batch that patients' enters wait behind.
    /// </summary>
    public IReadOnlyList<QueueEvent> AcknowledgeAndTakeOutbox(OutboxAcknowledgement acknowledgement)
    {
        State = State.AcknowledgeOutbox(acknowledgement.Version);
        return TakeOutbox(acknowledgement.Max);
    }

    protected override ClinicQueueState InitializeState(TaskEntityOperation entityOperation) =>
        ClinicQueueState.New(entityOperation.Context.Id.Key);

    /// <summary>
    /// Hands the next state to the engine to store, after sending to <c>queue-events</c> the changes that earlier batches
    /// stored (<see cref="storedVersion"/>). A change is stored together with its place in the outbox and leaves the
    /// outbox only once sent; a crash between the two sends it again (at least once, same id and content). This batch's
    /// own changes go out with the next batch, and a <see cref="Flush"/> signal, stored with them, makes sure there is
    /// one. When the queue does not take the changes within <see cref="SendLimit"/>, a publisher orchestration is started
    /// in the same step to drain the outbox with retries: one per clinic, however many app instances run.
    /// </summary>
    private async Task CommitAsync(ClinicQueueState next)
    {
        storedVersion ??= State.Version;
        if (next.NeedsSending && next.Outbox[0].Version <= storedVersion)
        {
            next = await SendOutboxAsync(next, storedVersion.Value);
        }

        if (next.NeedsSending && !next.FlushPending)
        {
            // Not a scheduled signal: the queue message's visibility delay is whole seconds, so the last fraction of a
            // second before it is due (all of a 1 s delay) is spent with the message visible, handed back by the
            // engine each time it arrives early: a work item every few milliseconds (measured with a 1 s delay: about
            // 500 storage requests per ticket at one patient a second).
            Context.SignalEntity(Context.Id, Operations.Flush);
            next = next with { FlushPending = true };
        }

        State = WithinOutboxCap(next, storedVersion.Value);
    }

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

    private async Task<ClinicQueueState> SendOutboxAsync(ClinicQueueState next, long stored)
    {
        var batch = next.Outbox.TakeWhile(e => e.Version <= stored).ToList();
        var sent = 0;
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var chunk in batch.Chunk(SendChunk))
            {
                if (sent > 0 && Stopwatch.GetElapsedTime(started) > SendBudget)
                {
                    logger.LogInformation("Clinic {Clinic} sent {Sent} of {Count} queue events in {Budget}; the rest go with the next batch", next.Clinic, sent, batch.Count, SendBudget);
                    break;
                }

                using var limit = new CancellationTokenSource(SendLimit);
                await events.SendAsync(chunk, limit.Token);
                sent += chunk.Length;
                next = next.AcknowledgeOutbox(chunk[^1].Version);
            }

            return next;
        }
        catch (Exception ex) when (sent > 0)
        {
            // It took some before failing: what it took is acknowledged, and the rest goes with the next batch (a flush
            // is on its way), which hands it to the publisher if the queue has gone down meanwhile.
            logger.LogWarning(ex, "Queue events {First}-{Last} of clinic {Clinic}: {Sent} sent, then a group was not taken within {Limit}; the rest go with the next batch",
                batch[0].Version, batch[^1].Version, next.Clinic, sent, SendLimit);
            return next;
        }
        catch (Exception ex)
        {
            // Whatever failed (storage, network, the time limit), the changes stay in the outbox and the publisher
            // owns them from here: the operation itself must not fail, or the patient's ticket would be lost with it.
            logger.LogWarning(ex, "Queue events {First}-{Last} of clinic {Clinic} were not sent within {Limit}; a publisher takes them over",
                batch[0].Version, batch[^1].Version, next.Clinic, SendLimit);
            Context.ScheduleNewOrchestration(
                new TaskName(QueueEventsPublisher.OrchestratorName),
                next.Clinic,
                new StartOrchestrationOptions($"queue-events-{next.Clinic}-{next.Version}"));
            return next with { Publishing = true };
        }
    }

    [Function(Name)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<ClinicQueueEntity>();
}
