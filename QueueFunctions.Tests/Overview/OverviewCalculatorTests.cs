using QueueFunctions.Domain;
using QueueFunctions.Overview;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Overview;

/// <summary>
/// The overview's figures from a clinic's state, with every moment placed by the test: patients enter one a minute
/// from 08:01 (<see cref="Clinic.WithPatients"/>).
/// </summary>
public class OverviewCalculatorTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromMinutes(10);
    private static readonly FixedPins Pins = new(Clinic.Pin);

    private static ClinicOverview Figures(ClinicQueueState state, DateTimeOffset now, TodayWait? waits = null) =>
        OverviewCalculator.ForClinic(state, now, Threshold, Clinic.Rules, waits);

    private static ClinicQueueState Done(ClinicQueueState state, string user, DateTimeOffset at) =>
        state.Done(user, Clinic.Pin, "done-" + user, at, Clinic.Rules, Pins);

    [Fact]
    public void An_unused_clinic_shows_nothing_waiting_and_no_alert()
    {
        var figures = Figures(Clinic.OpenLab(), Clinic.Morning.AddHours(3));

        Assert.Equal(new ClinicOverview("lab", 0, 0, 0, null, 0, 0, null, null, false), figures);
    }

    [Fact]
    public void Served_counts_the_dones_and_the_longest_wait_is_the_earliest_waiting_ticket()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D");
        state = Done(state, "A", Clinic.Morning.AddMinutes(5));
        state = Done(state, "B", Clinic.Morning.AddMinutes(6));

        var figures = Figures(state, Clinic.Morning.AddMinutes(9));

        Assert.Equal((3, 2, 2), (figures.Current, figures.Waiting, figures.ServedToday));
        // C took its ticket at 08:03: six minutes ago.
        Assert.Equal(6 * 60, figures.LongestWaitSeconds);
        Assert.Equal(Clinic.Morning.AddMinutes(6), figures.LastMovedAt);
        Assert.Equal(TimeSpan.FromHours(3), figures.LastMovedAt!.Value.Offset);
    }

    [Fact]
    public void A_no_show_moves_the_queue_too()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B");
        state = state.Call("call-1", Clinic.Morning.AddMinutes(4), Clinic.Rules, Pins);

        var figures = Figures(state, Clinic.Morning.AddMinutes(5));

        Assert.Equal((2, 1, 0), (figures.Current, figures.Waiting, figures.ServedToday));
        Assert.Equal(Clinic.Morning.AddMinutes(4), figures.LastMovedAt);
    }

    [Fact]
    public void Stalled_starts_exactly_at_the_threshold_after_the_last_move()
    {
        var state = Done(Clinic.OpenLab().WithPatients("A", "B"), "A", Clinic.Morning.AddMinutes(3));
        var moved = Clinic.Morning.AddMinutes(3);

        Assert.False(Figures(state, moved + Threshold - TimeSpan.FromTicks(1)).Stalled);
        Assert.True(Figures(state, moved + Threshold).Stalled);
        Assert.Equal(moved, Figures(state, moved + Threshold).QuietSince);
    }

    [Fact]
    public void A_queue_that_never_moved_is_quiet_since_its_earliest_waiting_ticket()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B");
        var first = Clinic.Morning.AddMinutes(1);

        Assert.Null(Figures(state, first).LastMovedAt);
        Assert.False(Figures(state, first + Threshold - TimeSpan.FromSeconds(1)).Stalled);
        Assert.True(Figures(state, first + Threshold).Stalled);
    }

    [Fact]
    public void A_patient_who_came_after_the_last_move_starts_the_quiet_then_not_at_the_move()
    {
        // The queue emptied at 08:03 and nobody came until 09:00: it could not move in between.
        var state = Done(Clinic.OpenLab().WithPatients("A"), "A", Clinic.Morning.AddMinutes(3));
        var arrival = Clinic.Morning.AddHours(1);
        state = state.Enter("B", "req-B", arrival, Clinic.Rules, Pins);

        var figures = Figures(state, arrival.AddMinutes(9));

        Assert.False(figures.Stalled);
        Assert.Equal(arrival, figures.QuietSince);
        Assert.True(Figures(state, arrival + Threshold).Stalled);
    }

    [Fact]
    public void Nobody_waiting_is_never_stalled_however_long_ago_the_queue_moved()
    {
        var state = Done(Clinic.OpenLab().WithPatients("A"), "A", Clinic.Morning.AddMinutes(3));

        var figures = Figures(state, Clinic.Morning.AddHours(5));

        Assert.Equal((0, false, (DateTimeOffset?)null), (figures.Waiting, figures.Stalled, figures.QuietSince));
    }

    [Fact]
    public void A_reset_clears_served_and_last_moved()
    {
        var state = Done(Clinic.OpenLab().WithPatients("A", "B"), "A", Clinic.Morning.AddMinutes(3));
        state = state.Reset("reset-1", Clinic.Morning.AddMinutes(4), Clinic.Rules, Pins);

        var figures = Figures(state, Clinic.Morning.AddMinutes(5));

        Assert.Equal((0, 0, (DateTimeOffset?)null), (figures.Waiting, figures.ServedToday, figures.LastMovedAt));
    }

    [Fact]
    public void Visits_in_progress_count_the_waiting_tickets_of_visits()
    {
        var state = Clinic.OpenLab()
            .Enter("V1", "req-V1", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins, visit: VisitKey.Of("V1", Clinic.Today))
            .Enter("P1", "req-P1", Clinic.Morning.AddMinutes(2), Clinic.Rules, Pins)
            .Enter("V2", "req-V2", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins, visit: VisitKey.Of("V2", Clinic.Today));
        state = Done(state, "V1", Clinic.Morning.AddMinutes(4));

        Assert.Equal(1, Figures(state, Clinic.Morning.AddMinutes(5)).VisitsInProgress);
    }

    [Fact]
    public void The_day_s_average_wait_comes_from_the_history_in_minutes_to_one_decimal()
    {
        var figures = Figures(Clinic.OpenLab(), Clinic.Morning, new TodayWait(TimeSpan.FromSeconds(135), 4));

        Assert.Equal(2.3, figures.AverageWaitTodayMinutes);
    }

    [Fact]
    public void Totals_sum_the_clinics_and_pool_every_wait()
    {
        var lab = new ClinicOverview("lab", 3, 4, 600, 2.0, 10, 1, null, null, true);
        var xray = new ClinicOverview("xray", 1, 2, 900, 8.0, 5, 2, null, null, false);
        var eyes = new ClinicOverview("eyes", 0, 0, 0, null, 0, 0, null, null, false);
        var waits = new Dictionary<string, TodayWait>
        {
            ["lab"] = new(TimeSpan.FromMinutes(2), 30),
            ["xray"] = new(TimeSpan.FromMinutes(8), 10),
        };

        var totals = OverviewCalculator.Totals([lab, xray, eyes], waits);

        // (2 x 30 + 8 x 10) / 40 = 3.5, not the clinics' plain average of 5.
        Assert.Equal(new OverviewTotals(6, 900, 3.5, 15, 3, 1), totals);
    }

    [Fact]
    public void Totals_of_no_waits_have_no_average()
    {
        Assert.Equal(new OverviewTotals(0, 0, null, 0, 0, 0), OverviewCalculator.Totals([], new Dictionary<string, TodayWait>()));
    }

    [Fact]
    public void A_clock_behind_the_ticket_shows_no_negative_wait()
    {
        var state = Clinic.OpenLab().WithPatients("A");

        Assert.Equal(0, Figures(state, Clinic.Morning).LongestWaitSeconds);
    }

    [Fact]
    public void Today_s_waits_average_and_count()
    {
        Assert.Null(TodayWait.Of([]));
        Assert.Equal(new TodayWait(TimeSpan.FromMinutes(3), 2), TodayWait.Of([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4)]));
    }
}
