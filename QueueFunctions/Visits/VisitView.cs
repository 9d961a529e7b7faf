using QueueFunctions.Domain;

namespace QueueFunctions.Visits;

/// <summary>
/// A visit as the API shows it: the orchestration's progress, with the current step's ticket read live from its
/// clinic, so a no-show, a new ticket after it, and the people ahead show at once.
/// </summary>
public static class VisitView
{
    public static VisitResponse Of(VisitProgress progress, string examName, ClinicQueueState? currentClinic, bool? existing)
    {
        var current = progress.Current;
        var live = current is not null && currentClinic is not null ? currentClinic.LatestTicketOf(progress.User) : null;
        var steps = progress.Steps
            .Select(step => step == current
                ? new VisitStepResponse(step.Clinic, StatusOf(live), live?.Number ?? step.Number)
                : new VisitStepResponse(step.Clinic, step.Done ? VisitStatus.StepDone : VisitStatus.StepWaiting, step.Number))
            .Concat(progress.Remaining.Select(clinic => new VisitStepResponse(clinic, VisitStatus.StepPending, null)))
            .ToList();

        VisitCurrentResponse? here = null;
        if (current is not null)
        {
            var number = live?.Number ?? current.Number;
            int? ahead = live is { IsWaiting: true } ? currentClinic!.AheadOf(number) : null;
            here = new VisitCurrentResponse(current.Clinic, number, ahead);
        }

        return new VisitResponse(
            progress.User, progress.Exam, examName, progress.Gender, progress.ServiceDay, progress.Status, existing, steps, here);
    }

    /// <summary>A ticket that has left the clinic's state (a reset) reads as the step's own record: waiting.</summary>
    private static string StatusOf(Ticket? ticket) => ticket?.Status switch
    {
        TicketStatus.Done => VisitStatus.StepDone,
        TicketStatus.NoShow => VisitStatus.StepNoShow,
        _ => VisitStatus.StepWaiting,
    };
}
