using QueueFunctions.Domain;
using QueueFunctions.Streams;
using QueueFunctions.Visits;

namespace QueueFunctions.Push;

/// <summary>
/// Which patients a clinic's change concerns, and what each is told: the same alert the patient's open page would show
/// (<see cref="StreamMessages.ForUser"/>), computed from the clinic's state after the change.
/// </summary>
public static class AlertChoice
{
    /// <summary>The ticket being served and the two behind it: the only ones a change can bring to YOUR_TURN or NEAR_TURN.</summary>
    public const int Watched = 3;

    private static readonly string[] QueueAlerts = [StreamMessages.YourTurn, StreamMessages.NearTurn, StreamMessages.StepDoneNext];

    /// <summary>
    /// The alerts a change calls for at its own clinic. A visit's done step is left out: its next clinic is known only
    /// once the visit has moved (<see cref="ForVisitIssued"/>), or it completes the visit (<see cref="ForVisitDone"/>).
    /// </summary>
    public static IReadOnlyList<PlannedAlert> ForClinic(ClinicQueueState state, QueueEvent change, DateTimeOffset now)
    {
        var users = state.Tickets.Where(t => t.IsWaiting).Take(Watched).Select(t => t.User).ToList();
        if (change.Type == QueueEvent.TicketDone && change.User is { } done && state.LatestTicketOf(done) is { Visit: null })
        {
            users.Add(done);
        }

        return users
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(user => StreamMessages.ForUser(state, user, now))
            .Where(message => QueueAlerts.Contains(message.Type))
            .Select(message => new PlannedAlert(message.User, message, $"{state.Clinic}|{state.Round}|{message.Number}|{message.Type}"))
            .ToList();
    }

    /// <summary>
    /// A visit's ticket issued at its next clinic: the visit has moved, so the step done before it is told where to go.
    /// The first step's ticket follows no done step and calls for nothing.
    /// </summary>
    public static PlannedAlert? ForVisitIssued(VisitProgress visit, QueueEvent issued, DateTimeOffset now)
    {
        if (issued.Number is not { } number || visit.Steps.LastOrDefault(s => s.Done && s.Clinic != issued.Clinic) is not { } previous)
        {
            return null;
        }

        var message = new UserUpdateMessage(
            StreamMessages.StepDoneNext, previous.Clinic, visit.User, previous.Number, 0, null, TicketStatus.Done, now, issued.Clinic, number);
        return new PlannedAlert(visit.User, message, $"{visit.Id}|{previous.Clinic}|{StreamMessages.StepDoneNext}");
    }

    /// <summary>
    /// A visit's ticket done: the last clinic's done completes the visit (whether or not the visit has recorded it yet);
    /// any other waits for the next clinic's ticket.
    /// </summary>
    public static PlannedAlert? ForVisitDone(VisitProgress visit, ClinicQueueState state, QueueEvent done, DateTimeOffset now)
    {
        var last = visit.Remaining.IsEmpty && visit.Steps.Count > 0 && visit.Steps[^1].Clinic == done.Clinic;
        if (!last || done.User is not { } user)
        {
            return null;
        }

        var message = StreamMessages.ForUser(state, user, now) with { Type = StreamMessages.VisitComplete };
        return new PlannedAlert(visit.User, message, $"{visit.Id}|{StreamMessages.VisitComplete}");
    }
}
