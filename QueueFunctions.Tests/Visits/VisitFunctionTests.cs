using QueueFunctions.Domain;
using QueueFunctions.Streams;
using QueueFunctions.Tests.Support;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Visits;

/// <summary>How the queue's own endpoints and stream behave for a patient on a visit (mocked backend).</summary>
public class VisitFunctionTests
{
    private static readonly VisitPlan Plan = new(
        "P1", "cooks", "male", Clinic.Today, ["lab", "internal", "ent", "surgery"], ["lab"], Clinic.Morning, Clinic.Rules.EndOf(Clinic.Today));

    private readonly QueueApi api = new(new QueueBackend());

    private string VisitAt(string clinic, int number)
    {
        var id = VisitIds.For("P1", Clinic.Today);
        api.Backend.VisitStore[id] = VisitProgress.Start(Plan).Entered(clinic, number);
        return id;
    }

    [Fact]
    public async Task Enter_elsewhere_during_a_visit_is_refused_naming_the_clinic_expected()
    {
        VisitAt("lab", 1);

        var response = await api.EnterAsync("ent", "p1");

        response.AssertError(409, "VISIT_IN_PROGRESS");
        Assert.Contains("'lab'", response["error"].GetString());
        Assert.Empty(api.Backend.Signals);
    }

    [Fact]
    public async Task Enter_where_the_visit_expects_the_patient_makes_the_ticket_the_visits_step()
    {
        var id = VisitAt("lab", 1);

        var response = await api.EnterAsync("lab", "P1");

        Assert.Equal(200, response.Status);
        Assert.Equal(id, api.Backend.StateOf("lab").WaitingTicketOf("P1")!.Visit);
    }

    [Fact]
    public async Task A_finished_visit_no_longer_holds_the_patient()
    {
        var id = VisitIds.For("P1", Clinic.Today);
        api.Backend.VisitStore[id] = VisitProgress.Start(Plan with { Clinics = ["lab"] }).Entered("lab", 1).StepDone(1);

        var response = await api.EnterAsync("ent", "P1");

        Assert.Equal(200, response.Status);
        Assert.Null(api.Backend.StateOf("ent").WaitingTicketOf("P1")!.Visit);
    }

    [Fact]
    public async Task Done_without_a_visit_unlocks_nothing_and_names_no_next_clinic()
    {
        await api.EnterAsync("lab", "A");

        var response = await api.DoneAsync("lab", "A", Clinic.Pin);

        Assert.Equal(["success", "clinic", "user", "number", "status", "current", "next_clinic_unlocked"], response.Fields);
        Assert.False(response["next_clinic_unlocked"].GetBoolean());
    }

    [Fact]
    public async Task Done_for_a_visit_whose_instance_was_purged_answers_at_once_with_nothing_unlocked()
    {
        var id = VisitAt("lab", 1);
        await api.EnterAsync("lab", "P1");
        // The visit failed and the hourly purge of finished instances removed it; its ticket still names it.
        api.Backend.VisitStore.Remove(id);

        var response = await api.DoneAsync("lab", "P1", Clinic.Pin);

        Assert.Equal(200, response.Status);
        Assert.Equal(["success", "clinic", "user", "number", "status", "current", "next_clinic_unlocked"], response.Fields);
        Assert.False(response["next_clinic_unlocked"].GetBoolean());
        Assert.Equal(id, api.Backend.StateOf("lab").Tickets.Single().Visit);
    }

    [Fact]
    public void The_stream_names_the_next_clinic_once_the_visit_has_moved_and_says_when_it_is_complete()
    {
        var lab = ClinicQueueState.New("lab").WithPatients("P1");
        lab = lab.Done("P1", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(5), Clinic.Rules, new FixedPins(Clinic.Pin));
        var done = StreamMessages.ForUser(lab, "P1", Clinic.Morning);
        var atLab = VisitProgress.Start(Plan).Entered("lab", 1);

        Assert.Equal(done, StreamMessages.WithVisit(done, atLab));
        Assert.Equal(done, StreamMessages.WithVisit(done, null));
        var moved = StreamMessages.WithVisit(done, atLab.StepDone(1).Entered("ent", 4));
        Assert.Equal((StreamMessages.StepDoneNext, "ent", (int?)4), (moved.Type, moved.NextClinic, moved.NextNumber));
        var complete = StreamMessages.WithVisit(done, VisitProgress.Start(Plan with { Clinics = ["lab"] }).Entered("lab", 1).StepDone(1));
        Assert.Equal((StreamMessages.VisitComplete, null), (complete.Type, complete.NextClinic));

        var waiting = StreamMessages.ForUser(ClinicQueueState.New("lab").WithPatients("P1"), "P1", Clinic.Morning);
        Assert.Equal(waiting, StreamMessages.WithVisit(waiting, atLab.StepDone(1).Entered("ent", 4)));
    }
}
