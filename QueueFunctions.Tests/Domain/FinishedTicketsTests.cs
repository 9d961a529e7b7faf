using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

/// <summary>Finished tickets leave the clinic's state after a while, so its size follows the waiting room, not the day.</summary>
public class FinishedTicketsTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    [Fact]
    public void Finished_tickets_are_dropped_after_an_hour_while_waiting_ones_stay_and_the_counts_hold()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D")
            .Done("A", Clinic.Pin, "1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Call("2", Clinic.Morning.AddMinutes(12), Clinic.Rules, Pins);

        var later = state.Done("C", Clinic.Pin, "3", Clinic.Morning.AddMinutes(75), Clinic.Rules, Pins);

        Assert.Equal(["C", "D"], later.Tickets.Select(t => t.User));
        Assert.Equal((2, 4, 1, 4), (later.DoneCount, later.Current, later.WaitingCount, later.LastNumber));
        Assert.Equal(0, later.AheadOf(4));
    }

    [Fact]
    public void A_repeated_done_within_the_hour_still_answers_done()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Done("A", Clinic.Pin, "1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Done("A", Clinic.Pin, "2", Clinic.Morning.AddMinutes(69), Clinic.Rules, Pins);

        Assert.Equal(ReceiptOutcome.Done, state.ReceiptFor("2")!.Outcome);
        Assert.Equal(1, state.DoneCount);
    }

    [Fact]
    public void At_most_the_newest_finished_tickets_are_kept_in_a_busy_hour()
    {
        var state = Clinic.OpenLab();
        var at = Clinic.Morning;
        for (var i = 0; i < QueueRules.MaxFinishedTickets + 20; i++)
        {
            at = at.AddSeconds(5);
            state = state.Enter($"U{i}", $"e{i}", at, Clinic.Rules, Pins).Done($"U{i}", Clinic.Pin, $"d{i}", at, Clinic.Rules, Pins);
        }

        state = state.Enter("LAST", "last", at.AddSeconds(1), Clinic.Rules, Pins);

        Assert.Equal(QueueRules.MaxFinishedTickets, state.Tickets.Count(t => !t.IsWaiting));
        Assert.Equal("U20", state.Tickets.First().User);
        Assert.Equal(QueueRules.MaxFinishedTickets + 20, state.DoneCount);
        Assert.Equal(QueueRules.MaxFinishedTickets + 21, state.WaitingTicketOf("LAST")!.Number);
    }

    [Fact]
    public void The_wait_estimate_keeps_the_days_pace_after_the_tickets_are_gone()
    {
        // Three patients finished 10 minutes apart, then two hours later one more: 4 finishes over 140 minutes.
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D", "E")
            .Done("A", Clinic.Pin, "1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Done("B", Clinic.Pin, "2", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins)
            .Done("C", Clinic.Pin, "3", Clinic.Morning.AddMinutes(30), Clinic.Rules, Pins)
            .Call("4", Clinic.Morning.AddMinutes(150), Clinic.Rules, Pins);

        Assert.DoesNotContain(state.Tickets, t => t.Status == TicketStatus.Done);
        Assert.Equal(new FinishPace(4, Clinic.Morning.AddMinutes(10), Clinic.Morning.AddMinutes(150)), state.Pace);
        Assert.Equal(94, WaitEstimator.EstimateMinutes(state, ahead: 2));
    }

    [Fact]
    public void A_late_patient_done_after_a_no_show_is_counted_done_once_and_not_as_a_new_finish()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Call("1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Done("A", Clinic.Pin, "2", Clinic.Morning.AddMinutes(30), Clinic.Rules, Pins);

        Assert.Equal(1, state.DoneCount);
        Assert.Equal(new FinishPace(1, Clinic.Morning.AddMinutes(10), Clinic.Morning.AddMinutes(30)), state.Pace);
    }

    [Fact]
    public void A_reset_and_a_new_day_start_the_counts_afresh()
    {
        var state = Clinic.OpenLab().WithPatients("A").Done("A", Clinic.Pin, "1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins);

        Assert.Equal((0, null), (state.Reset("r", Clinic.Morning.AddMinutes(11), Clinic.Rules, Pins) is var reset ? (reset.DoneCount, reset.Pace) : default));
        var tomorrow = state.OnDayOf(Clinic.Morning.AddDays(1), Clinic.Rules, Pins);
        Assert.Equal((0, null), (tomorrow.DoneCount, tomorrow.Pace));
        Assert.Equal(0, state.AsSeenOn(Clinic.Today.AddDays(1)).DoneCount);
    }
}
