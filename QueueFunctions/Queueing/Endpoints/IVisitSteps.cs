using Microsoft.DurableTask.Client;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>
/// What the queue's endpoints ask of a patient's visit. Visits build on the queue (a visit takes its tickets from the
/// clinic entities), so the queue names what it needs here and the visits capability answers it.
/// </summary>
public interface IVisitSteps
{
    /// <summary>Where a patient on a visit may queue: only where the visit expects them.</summary>
    /// <returns>The visit's id when this clinic is its current step; null without an open visit.</returns>
    /// <exception cref="Api.ApiProblem">409 VISIT_IN_PROGRESS when the visit expects the patient elsewhere.</exception>
    Task<string?> VisitHereAsync(DurableTaskClient client, string clinic, string user, CancellationToken cancellationToken);

    /// <summary>
    /// After the visit's ticket at <paramref name="clinic"/> is done: waits until the visit holds its next ticket (or
    /// has ended), so the reply can say where to go. A repeated done waits the same way and gets the same answer.
    /// </summary>
    Task<StepAfterDone> AfterDoneAsync(DurableTaskClient client, string visit, string clinic, CancellationToken cancellationToken);
}

/// <summary>Where a patient goes after a visit's step: the next clinic and their number there, or the visit's end.</summary>
public sealed record StepAfterDone(string? NextClinic, int? NextNumber, bool VisitComplete);
