using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// One clinic's queue, keyed by the lower-case clinic id. The Durable runtime runs one operation at a
/// time per entity, which is what makes ticket numbers unique and gap-free; the rules live in the domain.
/// </summary>
public sealed partial class ClinicQueueEntity(
    QueueRules rules, IPinGenerator pins, IEnumerable<IQueueEventsSender> senders, PublisherWatch watch, ILogger<ClinicQueueEntity> logger)
    : TaskEntity<ClinicQueueState>
{
    private readonly QueueEventsFanOut events = new(senders);

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
        public const string Flush = nameof(ClinicQueueEntity.Flush);
        public const string CheckPublisher = nameof(ClinicQueueEntity.CheckPublisher);
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
    /// DONE: a DONE is never stored without its relay. (The Azure Storage provider sends a step's messages before it
    /// writes the state, so a crash in between can start the relay of a DONE that the engine then runs again; the relay,
    /// named after the ticket, and the visit, which takes one DONE per step, make that harmless.)
    /// </summary>
    public Task Done(DoneCommand command)
    {
        var next = State.Done(command.User, command.Pin, command.RequestId, command.At, rules, pins);
        if (next.JustDone(State) is { Visit: { } visit } done)
        {
            Context.ScheduleNewOrchestration(
                new TaskName(VisitStepRelay.Name),
                new VisitStepDone(visit, next.Clinic, done.Number, command.At),
                new StartOrchestrationOptions(VisitStepRelay.InstanceIdOf(visit, next.Clinic, next.Round, done.Number)));
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

    protected override ClinicQueueState InitializeState(TaskEntityOperation entityOperation) =>
        ClinicQueueState.New(entityOperation.Context.Id.Key);

    /// <summary>
    /// Hands the next state to the engine to store, after sending to <c>queue-events</c> the changes that earlier batches
    /// stored (<see cref="storedVersion"/>). A change is stored together with its place in the outbox and leaves the
    /// outbox only once sent; a crash between the two sends it again (at least once, same id and content). This batch's
    /// own changes go out with the next batch, and a <see cref="Flush"/> signal, stored with them, makes sure there is
    /// one. When the queue takes nothing within <see cref="SendBudget"/>, a publisher orchestration is started in the same
    /// step: one per clinic, however many app instances run.
    /// </summary>
    private async Task CommitAsync(ClinicQueueState next)
    {
        var stored = StoredVersion;
        next = WithoutSilentPublisher(next);
        if (next.Outbox.NeedsSending && next.Outbox[0].Version <= stored)
        {
            next = await SendOutboxAsync(next, stored);
        }

        State = WithinOutboxCap(WithFlush(next), stored);
    }

    [Function(Name)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<ClinicQueueEntity>();
}
