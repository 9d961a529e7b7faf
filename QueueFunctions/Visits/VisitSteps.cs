using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Queueing.Endpoints;

namespace QueueFunctions.Visits;

/// <summary>Answers the queue's endpoints about a patient's visit, from the visit's orchestration.</summary>
public sealed class VisitSteps(VisitClient visits) : IVisitSteps
{
    public async Task<string?> VisitHereAsync(DurableTaskClient client, string clinic, string user, CancellationToken cancellationToken)
    {
        if (await visits.FindAsync(client, user, cancellationToken) is not { IsOpen: true } visit)
        {
            return null;
        }

        if (visit.Current?.Clinic == clinic)
        {
            return visit.Id;
        }

        var expected = visit.Current is { } step
            ? $"Your visit expects you at clinic '{step.Clinic}'."
            : "Your visit is choosing your next clinic; ask again in a moment.";
        throw new ApiProblem(StatusCodes.Status409Conflict, ErrorCodes.VisitInProgress, $"'{user}' has a visit in progress. {expected}");
    }

    public async Task<StepAfterDone> AfterDoneAsync(DurableTaskClient client, string visit, string clinic, CancellationToken cancellationToken)
    {
        var progress = await visits.WaitAsync(client, visit, v => !v.IsOpen || v.StepAfter(clinic) is not null, cancellationToken);
        return progress.StepAfter(clinic) is { } next
            ? new StepAfterDone(next.Clinic, next.Number, VisitComplete: false)
            : new StepAfterDone(null, null, progress.Status == VisitStatus.Complete);
    }
}
