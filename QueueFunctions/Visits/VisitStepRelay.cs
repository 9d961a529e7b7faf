using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace QueueFunctions.Visits;

/// <summary>
/// Carries a clinic's DONE to the visit. An entity cannot raise an event to an orchestration, but it can start one in
/// the same step that stores its state: so the clinic entity starts this relay as it marks the ticket DONE, and the
/// DONE reaches the visit even if the app stops right after. Its instance id names the ticket, so it runs once.
/// </summary>
public static class VisitStepRelay
{
    public const string Name = "RelayVisitStepDone";

    [Function(Name)]
    public static Task RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var done = context.GetInput<VisitStepDone>() ?? throw new InvalidOperationException("The relay needs the step that is done.");
        context.SendEvent(done.Visit, VisitOrchestrator.StepDoneEvent, done);
        return Task.CompletedTask;
    }
}
