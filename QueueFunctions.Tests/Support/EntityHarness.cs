using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Support;

/// <summary>
/// Runs <see cref="ClinicQueueEntity"/> the way the Durable runtime does, through mocked
/// operation, state and context objects, and keeps what the entity persisted between operations. Each operation is a
/// batch of its own, with a new entity object, as the engine runs them when they arrive one at a time.
/// </summary>
/// <param name="logger">Receives the entity's logs; none kept by default.</param>
public sealed class EntityHarness(
    string clinic, IPinGenerator pins, QueueRules? rules = null, IQueueEventsSender? sender = null, ILogger<ClinicQueueEntity>? logger = null)
{
    private readonly QueueRules rules = rules ?? Clinic.Rules;

    /// <summary>The engine's clock as the entity's publisher watch reads it: moved only by the test.</summary>
    public FakeTimeProvider EngineClock { get; } = new(Clinic.Morning);

    public PublisherWatch Watch => new(PublisherWatch.Default.SilenceLimit, EngineClock);

    /// <summary>The queue the entity sends its changes to: by default one that takes everything.</summary>
    public IQueueEventsSender Sender { get; } = sender ?? new RecordingSender();

    /// <summary>What the entity last handed to <see cref="TaskEntityState.SetState"/>; null until it did.</summary>
    public object? Persisted { get; private set; }

    public int Writes { get; private set; }

    /// <summary>Orchestrations the entity started: name, input and instance id.</summary>
    public List<(string Name, object? Input, string InstanceId)> StartedOrchestrations { get; } = [];

    private readonly List<Signal> pending = [];

    /// <summary>Signals the entity sent, to itself or others, not yet delivered by <see cref="DeliverSignalsAsync"/>.</summary>
    public IReadOnlyList<(EntityInstanceId Target, string Operation, DateTimeOffset? At)> Signals =>
        pending.Select(s => (s.Target, s.Operation, s.At)).ToList();

    public ClinicQueueState State => Assert.IsType<ClinicQueueState>(Persisted);

    /// <summary>Replaces the stored state, as one that an earlier version of the app stored.</summary>
    public void Store(ClinicQueueState state) => Persisted = state;

    /// <summary>
    /// Runs the signals the entity has sent itself so far and that are due on <see cref="EngineClock"/>, each as a batch
    /// of its own, as the engine would; signals those batches send, and those scheduled later, wait for another call.
    /// </summary>
    public async Task DeliverSignalsAsync()
    {
        var due = pending.Where(s => s.At is not { } at || at <= EngineClock.GetUtcNow()).ToList();
        pending.RemoveAll(due.Contains);
        foreach (var signal in due)
        {
            Assert.Equal(new EntityInstanceId(ClinicQueueEntity.Name, clinic), signal.Target);
            await RunAsync(signal.Operation, signal.Input);
        }
    }

    public async Task<object?> RunAsync(string operationName, object? input) =>
        (await RunBatchAsync([(operationName, input)]))[^1];

    /// <summary>
    /// Runs operations as one batch: one entity object, the state carried from one operation to the next in memory, and
    /// stored, with the signals and orchestrations the batch sent, only at its end. With <paramref name="stored"/> false
    /// the batch fails as a checkpoint does when storage goes away: nothing of it is kept but what it did outside.
    /// </summary>
    public async Task<IReadOnlyList<object?>> RunBatchAsync(IReadOnlyList<(string Operation, object? Input)> operations, bool stored = true)
    {
        var current = Persisted;
        var signals = new List<Signal>();
        var orchestrations = new List<(string, object?, string)>();
        var state = new Mock<TaskEntityState>(MockBehavior.Strict);
        state.SetupGet(s => s.HasState).Returns(() => current is not null);
        state.Setup(s => s.GetState(It.IsAny<Type>())).Returns(() => current);
        state.Setup(s => s.SetState(It.IsAny<object?>())).Callback<object?>(value =>
        {
            current = value;
            Writes++;
        });

        var context = new Mock<TaskEntityContext>(MockBehavior.Strict);
        context.SetupGet(c => c.Id).Returns(new EntityInstanceId(ClinicQueueEntity.Name, clinic));
        context
            .Setup(c => c.ScheduleNewOrchestration(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>()))
            .Returns<TaskName, object?, StartOrchestrationOptions?>((name, orchestrationInput, options) =>
            {
                var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
                orchestrations.Add((name.Name, orchestrationInput, instanceId));
                return instanceId;
            });
        context
            .Setup(c => c.SignalEntity(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>()))
            .Callback<EntityInstanceId, string, object?, SignalEntityOptions?>((target, name, input, options) => signals.Add(new Signal(target, name, input, options?.SignalTime)));

        ITaskEntity entity = new ClinicQueueEntity(rules, pins, [Sender], Watch, logger ?? NullLogger<ClinicQueueEntity>.Instance);
        var results = new List<object?>();
        foreach (var (operationName, input) in operations)
        {
            var operation = new Mock<TaskEntityOperation>(MockBehavior.Strict);
            operation.SetupGet(o => o.Name).Returns(operationName);
            operation.SetupGet(o => o.State).Returns(state.Object);
            operation.SetupGet(o => o.Context).Returns(context.Object);
            operation.SetupGet(o => o.HasInput).Returns(input is not null);
            operation.Setup(o => o.GetInput(It.IsAny<Type>())).Returns<Type>(type =>
                input is null || type.IsInstanceOfType(input) ? input : throw new InvalidCastException($"{input.GetType()} is not {type}"));
            results.Add(await entity.RunAsync(operation.Object));
        }

        if (stored)
        {
            Persisted = current;
            pending.AddRange(signals);
            StartedOrchestrations.AddRange(orchestrations);
        }

        return results;
    }

    private sealed record Signal(EntityInstanceId Target, string Operation, object? Input, DateTimeOffset? At);
}
