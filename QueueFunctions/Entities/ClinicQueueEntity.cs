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
    /// How long an operation may wait for its changes to reach <c>queue-events</c>. Beyond it (the queue is slow or
    /// down) the publisher orchestration takes the outbox over, with its retries, and operations stop waiting for the
    /// queue until it has drained the outbox.
    /// </summary>
    public static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(2);

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
    }

    public Task Enter(EnterCommand command) =>
        CommitAsync(State.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit));

    /// <summary>Several patients' enters carried by one signal, applied in the order they came.</summary>
    public Task EnterMany(IReadOnlyList<EnterCommand> commands) =>
        CommitAsync(commands.Aggregate(State, (state, command) => state.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit)));

    /// <summary>Called by a visit: the step's ticket, new or already held, and its number.</summary>
    public async Task<int> EnterVisit(EnterCommand command)
    {
        await CommitAsync(State.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit));
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

        return CommitAsync(next);
    }

    public Task Call(ClinicCommand command) =>
        CommitAsync(State.Call(command.RequestId, command.At, rules, pins));

    public Task Reset(ClinicCommand command) =>
        CommitAsync(State.Reset(command.RequestId, command.At, rules, pins));

    /// <summary>Starts the service day (and its PIN) if it has not started yet; changes nothing otherwise.</summary>
    public Task Open(ClinicCommand command) =>
        CommitAsync(State.OnDayOf(command.At, rules, pins));

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
    /// Stores the next state with its changes sent to <c>queue-events</c> first, so that the outbox is empty again when
    /// the operation ends. A change is stored in the outbox in the same step as the change itself, and leaves it only
    /// once sent; a crash between the send and the stored state sends it again (at least once, same id). When the
    /// queue does not take the changes within <see cref="SendLimit"/>, a publisher orchestration is started in the same
    /// step to drain the outbox with retries: one per clinic, however many app instances run.
    /// </summary>
    private async Task CommitAsync(ClinicQueueState next)
    {
        if (next.NeedsSending)
        {
            next = await SendOutboxAsync(next);
        }

        State = WithinOutboxCap(next);
    }

    /// <summary>
    /// Applied to what is left unsent, after this operation's own send: a healthy queue never reaches the cap, however
    /// many changes one operation makes.
    /// </summary>
    private ClinicQueueState WithinOutboxCap(ClinicQueueState next)
    {
        var (kept, dropped) = next.WithOutboxCappedAt(rules.MaxOutbox);
        if (dropped.Count > 0)
        {
            logger.LogError(
                "Clinic {Clinic} dropped {Count} queue events, versions {First} to {Last}, that queue-events has not taken: more than {Max} (Queue:MaxOutbox) were waiting. The history and other consumers of queue-events miss them; the queue itself is unaffected",
                next.Clinic, dropped.Count, dropped[0].Version, dropped[^1].Version, rules.MaxOutbox);
        }

        return kept;
    }

    private async Task<ClinicQueueState> SendOutboxAsync(ClinicQueueState next)
    {
        using var limit = new CancellationTokenSource(SendLimit);
        try
        {
            await events.SendAsync(next.Outbox, limit.Token);
            return next.AcknowledgeOutbox(next.Outbox[^1].Version);
        }
        catch (Exception ex)
        {
            // Whatever failed (storage, network, the time limit), the changes stay in the outbox and the publisher
            // owns them from here: the operation itself must not fail, or the patient's ticket would be lost with it.
            logger.LogWarning(ex, "Queue events {First}-{Last} of clinic {Clinic} were not sent within {Limit}; a publisher takes them over",
                next.Outbox[0].Version, next.Outbox[^1].Version, next.Clinic, SendLimit);
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
