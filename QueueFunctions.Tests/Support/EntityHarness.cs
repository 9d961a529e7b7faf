using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using QueueFunctions.Entities;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Support;

/// <summary>
/// Runs <see cref="ClinicQueueEntity"/> the way the Durable runtime does, through mocked
/// operation, state and context objects, and keeps what the entity persisted between operations.
/// </summary>
/// <param name="logger">Receives the entity's logs; none kept by default.</param>
public sealed class EntityHarness(
    string clinic, IPinGenerator pins, QueueRules? rules = null, IQueueEventsSender? sender = null, ILogger<ClinicQueueEntity>? logger = null)
{
    private readonly QueueRules rules = rules ?? Clinic.Rules;

    /// <summary>The queue the entity sends its changes to: by default one that takes everything.</summary>
    public IQueueEventsSender Sender { get; } = sender ?? new RecordingSender();

    /// <summary>What the entity last handed to <see cref="TaskEntityState.SetState"/>; null until it did.</summary>
    public object? Persisted { get; private set; }

    public int Writes { get; private set; }

    /// <summary>Orchestrations the entity started: name, input and instance id.</summary>
    public List<(string Name, object? Input, string InstanceId)> StartedOrchestrations { get; } = [];

    public ClinicQueueState State => Assert.IsType<ClinicQueueState>(Persisted);

    public async Task<object?> RunAsync(string operationName, object? input)
    {
        var state = new Mock<TaskEntityState>(MockBehavior.Strict);
        state.SetupGet(s => s.HasState).Returns(() => Persisted is not null);
        state.Setup(s => s.GetState(It.IsAny<Type>())).Returns(() => Persisted);
        state.Setup(s => s.SetState(It.IsAny<object?>())).Callback<object?>(value =>
        {
            Persisted = value;
            Writes++;
        });

        var context = new Mock<TaskEntityContext>(MockBehavior.Strict);
        context.SetupGet(c => c.Id).Returns(new EntityInstanceId(ClinicQueueEntity.Name, clinic));
        context
            .Setup(c => c.ScheduleNewOrchestration(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>()))
            .Returns<TaskName, object?, StartOrchestrationOptions?>((name, orchestrationInput, options) =>
            {
                var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
                StartedOrchestrations.Add((name.Name, orchestrationInput, instanceId));
                return instanceId;
            });

        var operation = new Mock<TaskEntityOperation>(MockBehavior.Strict);
        operation.SetupGet(o => o.Name).Returns(operationName);
        operation.SetupGet(o => o.State).Returns(state.Object);
        operation.SetupGet(o => o.Context).Returns(context.Object);
        operation.SetupGet(o => o.HasInput).Returns(input is not null);
        operation.Setup(o => o.GetInput(It.IsAny<Type>())).Returns<Type>(type =>
            input is null || type.IsInstanceOfType(input) ? input : throw new InvalidCastException($"{input.GetType()} is not {type}"));

        ITaskEntity entity = new ClinicQueueEntity(rules, pins, Sender, logger ?? NullLogger<ClinicQueueEntity>.Instance);
        return await entity.RunAsync(operation.Object);
    }
}
