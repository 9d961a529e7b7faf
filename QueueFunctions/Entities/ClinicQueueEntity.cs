using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using QueueFunctions.Queueing;
using QueueFunctions.Visits;

namespace QueueFunctions.Entities;

/// <summary>
/// One clinic's queue, keyed by the lower-case clinic id. The Durable runtime runs one operation at a
/// time per entity, which is what makes ticket numbers unique and gap-free; the rules live in the domain.
/// </summary>
public sealed class ClinicQueueEntity(QueueRules rules, IPinGenerator pins) : TaskEntity<ClinicQueueState>
{
    public const string Name = "ClinicQueue";

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

    public void Enter(EnterCommand command) =>
        Commit(State.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit));

    /// <summary>Several patients' enters carried by one signal, applied in the order they came.</summary>
    public void EnterMany(IReadOnlyList<EnterCommand> commands) =>
        Commit(commands.Aggregate(State, (state, command) => state.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit)));

    /// <summary>Called by a visit: the step's ticket, new or already held, and its number.</summary>
    public int EnterVisit(EnterCommand command)
    {
        Commit(State.Enter(command.User, command.RequestId, command.At, rules, pins, command.Visit));
        return State.WaitingTicketOf(command.User)!.Number;
    }

    /// <summary>Called by a visit choosing its next clinic: how many wait here now.</summary>
    public int Waiting(DateTimeOffset at) => State.AsSeenOn(rules.ServiceDayOf(at)).WaitingCount;

    /// <summary>
    /// A ticket of a visit that turns DONE starts the relay that moves the visit on, in the same step that stores the
    /// DONE: either both happen or neither does.
    /// </summary>
    public void Done(DoneCommand command)
    {
        var next = State.Done(command.User, command.Pin, command.RequestId, command.At, rules, pins);
        if (next.JustDone(State) is { Visit: { } visit } done)
        {
            Context.ScheduleNewOrchestration(
                new TaskName(VisitStepRelay.Name),
                new VisitStepDone(visit, next.Clinic, done.Number, command.At),
                new StartOrchestrationOptions(VisitIds.RelayOf(visit, next.Clinic, next.Round, done.Number)));
        }

        Commit(next);
    }

    public void Call(ClinicCommand command) =>
        Commit(State.Call(command.RequestId, command.At, rules, pins));

    public void Reset(ClinicCommand command) =>
        Commit(State.Reset(command.RequestId, command.At, rules, pins));

    /// <summary>Starts the service day (and its PIN) if it has not started yet; changes nothing otherwise.</summary>
    public void Open(ClinicCommand command) =>
        Commit(State.OnDayOf(command.At, rules, pins));

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
    /// Stores the next state and, in the same operation, starts a publisher for new changes. Publishing
    /// from here, not from a per-instance watcher, means each change is published by one publisher however
    /// many app instances run.
    /// </summary>
    private void Commit(ClinicQueueState next)
    {
        if (next.NeedsPublisher)
        {
            next = next with { Publishing = true };
            Context.ScheduleNewOrchestration(
                new TaskName(QueueEventsPublisher.OrchestratorName),
                next.Clinic,
                new StartOrchestrationOptions($"queue-events-{next.Clinic}-{next.Version}"));
        }

        State = next;
    }

    [Function(Name)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<ClinicQueueEntity>();
}
