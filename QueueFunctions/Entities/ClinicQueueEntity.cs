using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;
using QueueFunctions.Queueing;

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
        public const string Done = nameof(ClinicQueueEntity.Done);
        public const string Call = nameof(ClinicQueueEntity.Call);
        public const string Reset = nameof(ClinicQueueEntity.Reset);
        public const string Open = nameof(ClinicQueueEntity.Open);
    }

    public void Enter(EnterCommand command) =>
        State = State.Enter(command.User, command.RequestId, command.At, rules, pins);

    public void Done(DoneCommand command) =>
        State = State.Done(command.User, command.Pin, command.RequestId, command.At, rules, pins);

    public void Call(ClinicCommand command) =>
        State = State.Call(command.RequestId, command.At, rules, pins);

    public void Reset(ClinicCommand command) =>
        State = State.Reset(command.RequestId, command.At, rules, pins);

    /// <summary>Starts the service day (and its PIN) if it has not started yet; changes nothing otherwise.</summary>
    public void Open(ClinicCommand command) =>
        State = State.OnDayOf(command.At, rules, pins);

    protected override ClinicQueueState InitializeState(TaskEntityOperation entityOperation) =>
        ClinicQueueState.New(entityOperation.Context.Id.Key);

    [Function(Name)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<ClinicQueueEntity>();
}
