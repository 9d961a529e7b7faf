using QueueFunctions.Tests.Support;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Visits;

public class VisitProgressTests
{
    private static readonly VisitPlan Plan = new(
        "P1", "cooks", "male", Clinic.Today, ["lab", "internal", "ent", "surgery"], ["lab"], Clinic.Morning, Clinic.Rules.EndOf(Clinic.Today));

    [Fact]
    public void A_visit_walks_its_steps_in_order_and_completes_after_the_last()
    {
        var progress = VisitProgress.Start(Plan);
        Assert.True(progress.IsOpen);
        Assert.Null(progress.Current);

        progress = progress.Entered("lab", 12);
        Assert.Equal(new VisitStep("lab", 12, false), progress.Current);
        Assert.Equal(["internal", "ent", "surgery"], progress.Remaining);

        progress = progress.StepDone(12).Entered("ent", 3);
        Assert.Equal(new VisitStep("ent", 3, false), progress.StepAfter("lab"));
        Assert.Null(progress.StepAfter("ent"));

        progress = progress.StepDone(4).Entered("internal", 1).StepDone(1).Entered("surgery", 7).StepDone(7);
        Assert.Equal(VisitStatus.Complete, progress.Status);
        Assert.Null(progress.Current);
        Assert.Equal(["lab", "ent", "internal", "surgery"], progress.Steps.Select(s => s.Clinic));
        Assert.Equal(4, progress.Steps[1].Number);
        Assert.All(progress.Steps, s => Assert.True(s.Done));
        Assert.Equal(VisitStatus.Complete, progress.Closed().Status);
    }

    [Fact]
    public void A_visit_open_at_the_end_of_its_day_is_closed_and_expects_the_patient_nowhere()
    {
        var closed = VisitProgress.Start(Plan).Entered("lab", 1).Closed();

        Assert.Equal(VisitStatus.Closed, closed.Status);
        Assert.False(closed.IsOpen);
        Assert.Null(closed.Current);
    }

    [Fact]
    public void The_service_day_ends_at_the_next_days_start_in_clinic_time()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.FromHours(3)), Clinic.Rules.EndOf(Clinic.Today));
    }

    [Fact]
    public void Visit_ids_name_a_user_and_a_day_ignoring_case_in_characters_instance_ids_accept()
    {
        var id = VisitIds.For("Abc-1/2#?", Clinic.Today);

        Assert.Equal(id, VisitIds.For("ABC-1/2#?", Clinic.Today));
        Assert.NotEqual(id, VisitIds.For("Abc-1/2#?", Clinic.Today.AddDays(1)));
        Assert.NotEqual(id, VisitIds.For("Abc-1/2#!", Clinic.Today));
        Assert.Matches("^visit-20261129-[0-9a-f]{32}$", id);
        Assert.True(VisitIds.IsVisit(id));
    }
}
