using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// The canonical Durable way, as the Durable Functions docs show it: the client schedules an orchestration that
/// CallEntityAsync's the clinic's entity, then waits with WaitForInstanceCompletionAsync. The local host's client
/// answers that wait by reading the instance every <see cref="LocalHost.Engine.EngineDurableTaskClient.InstancePollingInterval"/>
/// (100 ms; the Azure Storage provider behind the Functions host polls every 2 s, so this favours the path).
/// No HTTP in front of it, which favours it too.
/// </summary>
public sealed class OrchestrationEnterPath(DurableTaskClient client) : IEnterPath
{
    public async Task<EnterOutcome> EnterAsync(long attempt, string clinic, string user, CancellationToken cancel)
    {
        try
        {
            var id = await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(OrchestratedEnter.Name), new OrchestratedEnterInput(clinic, user), cancel);
            var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel);
            return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                ? new EnterOutcome(200, done.ReadOutputAs<int>(), null)
                : new EnterOutcome(500, null, $"{done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return new EnterOutcome(EnterOutcome.CutOff, null, "still waiting when the case ended");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new EnterOutcome(EnterOutcome.NoAnswer, null, e.GetType().Name + ": " + e.Message);
        }
    }
}
