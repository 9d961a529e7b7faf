using System.Text.Json.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Shared;

// Benchmark-only functions for the canonical enter path: client -> orchestration -> CallEntityAsync -> entity.
// The local host runs the functions of one assembly, so these run on a second host started with this assembly.
// The entity below is the app's own ClinicQueueEntity (same code, same state, same publisher orchestration); it only
// adds a return value to Enter, because an orchestration calling the entity needs the number back.

public sealed record OrchestratedEnterInput(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("user")] string User);

public static class OrchestratedEnter
{
    public const string Name = "BenchOrchestratedEnter";

    /// <summary>Takes a number for the user by calling the clinic's entity, and returns the number.</summary>
    [Function(Name)]
    public static async Task<int> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<OrchestratedEnterInput>() ?? throw new InvalidOperationException("No input.");
        var command = new EnterCommand(input.User, context.NewGuid().ToString("N")[..16], context.CurrentUtcDateTime);
        return await context.Entities.CallEntityAsync<int>(
            ClinicStateReader.EntityIdOf(input.Clinic), ClinicQueueEntity.Operations.Enter, command);
    }
}

/// <summary>The app's <see cref="ClinicQueueEntity"/>, run unchanged; Enter also returns the user's ticket number.</summary>
public sealed class CallableClinicQueueEntity(
    QueueRules rules, IPinGenerator pins, IQueueEventsSender events, PublisherWatch watch, ILogger<ClinicQueueEntity> logger) : ITaskEntity
{
    public async ValueTask<object?> RunAsync(TaskEntityOperation operation)
    {
        var result = await new ClinicQueueEntity(rules, pins, [events], watch, logger).RunAsync(operation);
        if (!string.Equals(operation.Name, ClinicQueueEntity.Operations.Enter, StringComparison.OrdinalIgnoreCase))
        {
            return result;
        }

        var command = operation.GetInput<EnterCommand>() ?? throw new InvalidOperationException("Enter without input.");
        var state = operation.State.GetState<ClinicQueueState>() ?? throw new InvalidOperationException("Enter left no state.");
        var ticket = state.Tickets.LastOrDefault(t => t.RequestId == command.RequestId) ?? state.WaitingTicketOf(command.User);
        return ticket?.Number ?? 0;
    }

    [Function(ClinicQueueEntity.Name)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<CallableClinicQueueEntity>();
}

/// <summary>The app's queue-events publisher, registered on the second host so the entity does the same work as in the app.</summary>
public static class PublisherOrchestration
{
    [Function(QueueEventsPublisher.OrchestratorName)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context) => QueueEventsPublisher.RunAsync(context);
}

public sealed class PublisherActivity(QueueEventsQueue queue, ILogger<QueueEventsPublisher> logger)
{
    [Function(QueueEventsPublisher.ActivityName)]
    public Task SendAsync([ActivityTrigger] List<QueueEvent> batch) => new QueueEventsPublisher([queue], logger).SendAsync(batch);
}
