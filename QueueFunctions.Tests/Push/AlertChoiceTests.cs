using System.Collections.Immutable;
using QueueFunctions.Domain;
using QueueFunctions.Push;
using QueueFunctions.Streams;
using QueueFunctions.Tests.Support;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Push;

/// <summary>Which patients a clinic's change concerns, what each is told, and the key that makes it once.</summary>
public sealed class AlertChoiceTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    private static QueueEvent Event(ClinicQueueState state, string type, string? user = null, int? number = null) =>
        new($"{state.Clinic}:{state.Version}", state.Clinic, state.ServiceDay, state.Version, type, number, user, Clinic.Morning, state.Round);

    [Fact]
    public void The_ticket_served_hears_your_turn_and_the_two_behind_it_near_turn_and_no_one_else()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D");

        var alerts = AlertChoice.ForClinic(state, Event(state, QueueEvent.TicketIssued, "D", 4), Clinic.Morning);

        Assert.Equal(
            [("A", StreamMessages.YourTurn, "lab|0|1|YOUR_TURN"), ("B", StreamMessages.NearTurn, "lab|0|2|NEAR_TURN"), ("C", StreamMessages.NearTurn, "lab|0|3|NEAR_TURN")],
            alerts.Select(a => (a.User, a.Message.Type, a.OnceKey)));
    }

    [Fact]
    public void Moving_on_gives_the_same_key_to_an_alert_already_due_so_it_is_sent_once()
    {
        var before = Clinic.OpenLab().WithPatients("A", "B", "C");
        var after = before.Call("call-1", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins);

        var first = AlertChoice.ForClinic(before, Event(before, QueueEvent.TicketIssued, "C", 3), Clinic.Morning).Single(a => a.User == "C");
        var second = AlertChoice.ForClinic(after, Event(after, QueueEvent.TicketNoShow, "A", 1), Clinic.Morning).Single(a => a.User == "C");

        Assert.Equal((StreamMessages.NearTurn, StreamMessages.NearTurn), (first.Message.Type, second.Message.Type));
        Assert.Equal(first.OnceKey, second.OnceKey);
    }

    [Fact]
    public void A_reset_starts_new_keys_since_numbers_start_again()
    {
        var state = Clinic.OpenLab().WithPatients("A");
        var reset = state.Reset("reset-1", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins).WithPatients("B");

        var before = AlertChoice.ForClinic(state, Event(state, QueueEvent.TicketIssued, "A", 1), Clinic.Morning).Single();
        var after = AlertChoice.ForClinic(reset, Event(reset, QueueEvent.TicketIssued, "B", 1), Clinic.Morning).Single();

        Assert.NotEqual(before.OnceKey, after.OnceKey);
    }

    [Fact]
    public void A_plain_ticket_done_hears_step_done_and_a_visit_ticket_done_waits_for_its_next_clinic()
    {
        var state = Clinic.OpenLab().WithPatients("A")
            .Enter("V", "req-V", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins, "visit-V")
            .Done("A", Clinic.Pin, "done-A", Clinic.Morning.AddMinutes(4), Clinic.Rules, Pins);
        var afterVisit = state.Done("V", Clinic.Pin, "done-V", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins);

        var plain = AlertChoice.ForClinic(state, Event(state, QueueEvent.TicketDone, "A", 1), Clinic.Morning);
        var visit = AlertChoice.ForClinic(afterVisit, Event(afterVisit, QueueEvent.TicketDone, "V", 2), Clinic.Morning);

        Assert.Contains(plain, a => a is { User: "A", Message.Type: StreamMessages.StepDoneNext, OnceKey: "lab|0|1|STEP_DONE_NEXT" });
        Assert.DoesNotContain(visit, a => a.User == "V");
    }

    [Fact]
    public void A_visits_ticket_at_its_next_clinic_tells_the_step_before_where_to_go_once_per_step()
    {
        var visit = Visit(steps: [new("lab", 4, true)], remaining: ["xray", "eyes"]);
        var issued = new QueueEvent("xray:9", "xray", Clinic.Today, 9, QueueEvent.TicketIssued, 7, "V1", Clinic.Morning);
        var moved = visit with { Steps = visit.Steps.Add(new VisitStep("xray", 7, false)), Remaining = ["eyes"] };

        var alert = AlertChoice.ForVisitIssued(visit, issued, Clinic.Morning)!;
        var again = AlertChoice.ForVisitIssued(moved, issued with { Number = 8 }, Clinic.Morning)!;

        Assert.Equal((StreamMessages.StepDoneNext, "lab", 4, "xray", 7), (alert.Message.Type, alert.Message.Clinic, alert.Message.Number, alert.Message.NextClinic, alert.Message.NextNumber));
        Assert.Equal(alert.OnceKey, again.OnceKey);
        Assert.Null(AlertChoice.ForVisitIssued(Visit(steps: [], remaining: ["lab"]), issued with { Clinic = "lab" }, Clinic.Morning));
    }

    [Fact]
    public void The_last_clinics_done_completes_the_visit_and_an_earlier_one_does_not()
    {
        var state = Clinic.OpenLab().Enter("V1", "req", Clinic.Morning, Clinic.Rules, Pins, "visit-V1")
            .Done("V1", Clinic.Pin, "done", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);
        var done = Event(state, QueueEvent.TicketDone, "V1", 1);

        var last = AlertChoice.ForVisitDone(Visit(steps: [new("xray", 2, true), new("lab", 1, false)], remaining: []), state, done, Clinic.Morning);
        var earlier = AlertChoice.ForVisitDone(Visit(steps: [new("lab", 1, false)], remaining: ["xray"]), state, done, Clinic.Morning);

        Assert.Equal((StreamMessages.VisitComplete, "lab", 1), (last!.Message.Type, last.Message.Clinic, last.Message.Number));
        Assert.Null(earlier);
    }

    private static VisitProgress Visit(ImmutableList<VisitStep> steps, ImmutableList<string> remaining) =>
        new("V1", "cooks", "male", Clinic.Today, VisitStatus.InProgress, steps, remaining);
}
