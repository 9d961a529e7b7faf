using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Visits;

public class VisitViewTests
{
    private static readonly VisitPlan Plan = new(
        "P1", "cooks", "male", Clinic.Today, ["lab", "internal", "ent", "surgery"], ["lab"], Clinic.Morning, Clinic.Rules.EndOf(Clinic.Today));

    private readonly FixedPins pins = new(Clinic.Pin);

    [Fact]
    public void Steps_walked_come_first_then_the_remaining_clinics_pending_in_table_order()
    {
        var progress = VisitProgress.Start(Plan).Entered("lab", 1).StepDone(1).Entered("ent", 3);
        var ent = ClinicQueueState.New("ent").WithPatients("A", "B", "P1");

        var view = VisitView.Of(progress, "طباخين", ent, existing: true);

        Assert.Equal(
            [("lab", "DONE", (int?)1), ("ent", "WAITING", 3), ("internal", "PENDING", null), ("surgery", "PENDING", null)],
            view.Steps.Select(s => (s.Clinic, s.Status, s.Number)));
        Assert.Equal(("ent", 3, (int?)2), (view.Current!.Clinic, view.Current.Number, view.Current.Ahead));
        Assert.Equal(VisitStatus.InProgress, view.Status);
        Assert.True(view.Existing);
        Assert.Equal("طباخين", view.ExamName);
    }

    [Fact]
    public void A_no_show_shows_at_once_and_the_step_follows_the_patients_new_ticket()
    {
        var progress = VisitProgress.Start(Plan).Entered("lab", 1);
        var lab = ClinicQueueState.New("lab").WithPatients("P1", "B").Call("c1", Clinic.Morning.AddMinutes(5), Clinic.Rules, pins);

        var noShow = VisitView.Of(progress, "x", lab, null);
        Assert.Equal(("NO_SHOW", (int?)1), (noShow.Steps[0].Status, noShow.Steps[0].Number));
        Assert.Null(noShow.Current!.Ahead);

        var again = lab.Enter("P1", "r3", Clinic.Morning.AddMinutes(6), Clinic.Rules, pins, "visit-1");
        var followed = VisitView.Of(progress, "x", again, null);
        Assert.Equal(("WAITING", (int?)3), (followed.Steps[0].Status, followed.Steps[0].Number));
        Assert.Equal((3, (int?)1), (followed.Current!.Number, followed.Current.Ahead));
    }

    [Fact]
    public void A_finished_visit_expects_the_patient_nowhere()
    {
        var progress = VisitProgress.Start(Plan with { Clinics = ["lab"] }).Entered("lab", 1).StepDone(1);

        var view = VisitView.Of(progress, "x", null, null);

        Assert.Equal(VisitStatus.Complete, view.Status);
        Assert.Null(view.Current);
        Assert.Null(view.Existing);
        Assert.Equal([("lab", "DONE", (int?)1)], view.Steps.Select(s => (s.Clinic, s.Status, s.Number)));
    }
}
