using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using QueueFunctions.Queueing;

namespace QueueFunctions.Visits;

/// <summary>
/// One patient's visit for one service day, as a durable orchestration: take a ticket at the next clinic, wait until
/// that ticket is DONE, choose the next clinic from the queues as they are then, and so on until the last clinic.
/// The engine keeps its place across restarts, so a step done while the app is down moves on once it is back,
/// without any client acting. The clinic entities stay the only writers of their numbers: the visit asks them for a
/// ticket like any patient.
/// </summary>
public static class VisitOrchestrator
{
    public const string Name = "Visit";

    [Function(Name)]
    public static async Task<VisitProgress> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var plan = context.GetInput<VisitPlan>() ?? throw new InvalidOperationException("A visit needs its plan.");

        // The entities judge the service day by the time a command carries. The app's clock can differ from the
        // engine's (tests shift it), so the visit keeps to the app's clock: its start plus the engine's elapsed time.
        var engineStart = context.CurrentUtcDateTime;
        DateTimeOffset Now() => plan.StartedAt + (context.CurrentUtcDateTime - engineStart);
        var dayEnds = context.CreateTimer(engineStart + (plan.ClosesAt - plan.StartedAt), CancellationToken.None);

        var progress = VisitProgress.Start(plan);
        context.SetCustomStatus(progress);
        while (!progress.Remaining.IsEmpty)
        {
            var step = progress.Steps.Count;
            var (clinic, routed) = await NextClinicAsync(context, plan, progress, step, Now);
            var number = await context.Entities.CallEntityAsync<int>(
                ClinicStateReader.EntityIdOf(clinic),
                ClinicQueueEntity.Operations.EnterVisit,
                new EnterCommand(plan.User, $"{context.InstanceId}-{step}", Now(), context.InstanceId));
            if (routed)
            {
                await context.Entities.SignalEntityAsync(RouterOf(plan), VisitRouterEntity.Operations.Arrived, new RouteArrival(context.InstanceId, step, Now()));
            }

            progress = progress.Entered(clinic, number);
            context.SetCustomStatus(progress);

            // A relay from an earlier step can arrive again (at least once): only this step's clinic counts.
            while (true)
            {
                var done = context.WaitForExternalEvent<VisitStepDone>(VisitStepRelay.StepDoneEvent);
                if (await Task.WhenAny(done, dayEnds) == dayEnds)
                {
                    progress = progress.Closed();
                    context.SetCustomStatus(progress);
                    return progress;
                }

                var finished = await done;
                if (finished.Clinic == clinic)
                {
                    progress = progress.StepDone(finished.Number);
                    context.SetCustomStatus(progress);
                    break;
                }
            }
        }

        // A finished visit stays readable, and stays the user's one visit of the day, until the day ends; after that
        // the hourly purge of finished instances removes it.
        await dayEnds;
        return progress;
    }

    /// <returns>The clinic, and whether the router chose it (then it is told when the ticket is taken).</returns>
    private static async Task<(string Clinic, bool Routed)> NextClinicAsync(
        TaskOrchestrationContext context, VisitPlan plan, VisitProgress progress, int step, Func<DateTimeOffset> now)
    {
        var remaining = progress.Remaining;
        if (VisitRules.IsFixed(remaining, plan.FixedOrder))
        {
            return (VisitRules.Next(remaining, plan.FixedOrder, _ => 0), false);
        }

        var readAt = now();
        var counts = await Task.WhenAll(remaining.Select(c => context.Entities.CallEntityAsync<int>(
            ClinicStateReader.EntityIdOf(c), ClinicQueueEntity.Operations.Waiting, readAt)));
        var waiting = remaining.Zip(counts).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        var clinic = await context.Entities.CallEntityAsync<string>(
            RouterOf(plan),
            VisitRouterEntity.Operations.Route,
            new RouteRequest(context.InstanceId, step, remaining, waiting, readAt, now()));
        return (clinic, true);
    }

    private static EntityInstanceId RouterOf(VisitPlan plan) => new(VisitRouterEntity.Name, VisitIds.RouterKey(plan.ServiceDay));
}
