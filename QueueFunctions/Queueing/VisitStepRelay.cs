using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace QueueFunctions.Queueing;

/// <summary>
/// Carries a clinic's DONE to the visit. An entity cannot raise an event to an orchestration, but it can start one in
/// the same step that stores its state: so the clinic entity starts this relay as it marks the ticket DONE, and the
/// DONE reaches the visit even if the app stops right after. Its instance id names the ticket, so it runs once.
/// The queue owns this message; visits, which build on the queue, wait for it.
/// </summary>
public static class VisitStepRelay
{
    public const string Name = "RelayVisitStepDone";

    /// <summary>The external event a visit's orchestration waits for.</summary>
    public const string StepDoneEvent = "StepDone";

    /// <summary>One relay per ticket, so a repeat is dropped by the engine.</summary>
    public static string InstanceIdOf(string visit, string clinic, int round, int number) => $"{visit}-done-{clinic}-{round}-{number}";

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var done = context.GetInput<VisitStepDone>() ?? throw new InvalidOperationException("The relay needs the step that is done.");
        context.SendEvent(done.Visit, StepDoneEvent, done);
        return Task.CompletedTask;
    }
}
