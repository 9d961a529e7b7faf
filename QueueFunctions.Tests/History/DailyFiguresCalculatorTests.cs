using QueueFunctions.History;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.History;

public class DailyFiguresCalculatorTests
{
    private static readonly DateTimeOffset At8 = Clinic.Morning;

    private static DateTimeOffset Min(double minutes) => At8.AddMinutes(minutes);

    [Fact]
    public void A_ticket_becomes_current_when_the_last_lower_ticket_leaves_the_queue()
    {
        // 1 enters at 0 and is served at once; 2 enters at 1 and waits until 1 is done at 10; 3 enters at 2, is
        // current when 2 is called as a no-show at 12, and is done at 20.
        TicketRecord[] tickets =
        [
            new(0, 1, Min(0), null, Min(10)),
            new(0, 2, Min(1), Min(12), null),
            new(0, 3, Min(2), null, Min(20)),
        ];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        Assert.Equal((3, 2, 1, 0), (figures.Issued, figures.Done, figures.NoShow, figures.StillWaiting));
        // Waits 0, 9 and 10 minutes; services 10 (ticket 1) and 8 (ticket 3).
        Assert.Equal(6.3, figures.AvgWaitMinutes);
        Assert.Equal(10, figures.P90WaitMinutes);
        Assert.Equal(9, figures.AvgServiceMinutes);
    }

    [Fact]
    public void Every_round_after_a_reset_is_a_queue_of_its_own()
    {
        TicketRecord[] tickets =
        [
            new(0, 1, Min(0), null, null),   // still waiting when the reset cleared the queue
            new(0, 2, Min(1), null, null),   // never became current: 1 never left
            new(1, 1, Min(30), null, Min(35)),
        ];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar, [1]);

        Assert.Equal((3, 1, 0, 0, 2), (figures.Issued, figures.Done, figures.NoShow, figures.StillWaiting, figures.ClearedByReset));
        Assert.Equal(0, figures.AvgWaitMinutes);
        Assert.Equal(5, figures.AvgServiceMinutes);
    }

    [Fact]
    public void Tickets_waiting_when_a_reset_cleared_the_queue_are_cleared_not_still_waiting()
    {
        // The day's last act was a reset, after which nobody entered: only the reset's own row tells.
        TicketRecord[] tickets =
        [
            new(0, 1, Min(0), null, Min(4)),
            new(0, 2, Min(1), Min(6), null),
            new(0, 3, Min(2), null, null),
            new(0, 4, Min(3), null, null),
        ];

        var reset = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar, [1]);
        var notReset = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar, []);

        Assert.Equal((4, 1, 1, 0, 2), (reset.Issued, reset.Done, reset.NoShow, reset.StillWaiting, reset.ClearedByReset));
        Assert.Equal((0, 2), (notReset.ClearedByReset, notReset.StillWaiting));
        // Ticket 3 became current at the no-show (6) and stays in the waits; the reset changes no time.
        Assert.Equal(notReset.AvgWaitMinutes, reset.AvgWaitMinutes);
    }

    [Fact]
    public void Only_the_rounds_a_reset_ended_are_cleared_and_the_latest_rounds_waiting_are_still_waiting()
    {
        TicketRecord[] tickets =
        [
            new(0, 1, Min(0), null, null),
            new(1, 1, Min(10), null, Min(12)),
            new(1, 2, Min(11), null, null),
            new(1, 3, Min(11), null, null),
            new(2, 1, Min(20), null, null),
        ];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar, [1, 2]);

        Assert.Equal((1, 3), (figures.StillWaiting, figures.ClearedByReset));
    }

    [Fact]
    public void A_later_rounds_ticket_shows_the_reset_before_the_resets_own_row_has_arrived()
    {
        // Events reach the history in any order: the ticket of round 1 can be written before the reset that opened it.
        TicketRecord[] tickets = [new(0, 1, Min(0), null, null), new(1, 1, Min(10), null, null)];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar, []);

        Assert.Equal((1, 1), (figures.StillWaiting, figures.ClearedByReset));
    }

    [Fact]
    public void A_late_patient_done_after_a_no_show_counts_once_as_done()
    {
        TicketRecord[] tickets = [new(0, 1, Min(0), Min(5), Min(40)), new(0, 2, Min(1), null, Min(9))];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        Assert.Equal((2, 2, 0, 0), (figures.Issued, figures.Done, figures.NoShow, figures.StillWaiting));
        // Ticket 2's turn came at the no-show (5), not when the late patient was finally done.
        Assert.Equal(2, figures.AvgWaitMinutes);
        // Only ticket 2's 4 minutes (5 to 9): ticket 1 was absent from its no-show at 5 until its DONE at 40, and when
        // its examination began is not recorded, so those 40 minutes are not service time.
        Assert.Equal(4, figures.AvgServiceMinutes);
    }

    [Fact]
    public void A_patient_finished_out_of_turn_has_a_wait_but_no_service_time()
    {
        // 2 is seen and done at 4 while 1, still ahead of them, is done only at 10.
        TicketRecord[] tickets = [new(0, 1, Min(0), null, Min(10)), new(0, 2, Min(1), null, Min(4))];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        // Waits 0 (1) and 3 (2, until done); only 1 has a service time.
        Assert.Equal(1.5, figures.AvgWaitMinutes);
        Assert.Equal(10, figures.AvgServiceMinutes);
    }

    [Fact]
    public void A_lost_done_leaves_only_its_own_ticket_without_figures_and_the_tickets_after_it_keep_theirs()
    {
        // Ten patients, each served for two minutes after the one before; ticket 4's DONE never reached the history.
        var complete = Enumerable.Range(1, 10).Select(n => new TicketRecord(0, n, Min(0), null, Min(2 * n))).ToList();
        var lost = complete.Select(t => t.Number == 4 ? t with { DoneAt = null } : t).ToList();

        var whole = DailyFiguresCalculator.Compute("lab", complete, Clinic.Qatar);
        var missing = DailyFiguresCalculator.Compute("lab", lost, Clinic.Qatar);

        // Complete: waits 0, 2, ..., 18 (avg 9, p90 16), every service 2 minutes.
        Assert.Equal((9.0, 16.0, 2.0), (whole.AvgWaitMinutes, whole.P90WaitMinutes, whole.AvgServiceMinutes));

        // Without 4's DONE: 4 still counts as waiting and has no service time, and 5 is taken to have come to the front
        // when 3 left (6), as the history knows nothing later below it: its wait is 2 minutes short and its service 2
        // minutes long. Every other ticket keeps its own figures.
        Assert.Equal((10, 9, 1), (missing.Issued, missing.Done, missing.StillWaiting));
        Assert.Equal(8.8, missing.AvgWaitMinutes);
        Assert.Equal(16.0, missing.P90WaitMinutes);
        Assert.Equal(2.2, missing.AvgServiceMinutes);
    }

    [Fact]
    public void A_lost_no_show_does_not_hold_up_the_round_either()
    {
        // 2's NO_SHOW at 5 never arrived; 3 was then served from 5 to 9.
        TicketRecord[] tickets =
        [
            new(0, 1, Min(0), null, Min(4)),
            new(0, 2, Min(1), null, null),
            new(0, 3, Min(2), null, Min(9)),
        ];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        // 1: wait 0, service 4. 2: front at 4 (wait 3). 3: front at 4 as far as the history knows (wait 2, service 5).
        Assert.Equal(1.7, figures.AvgWaitMinutes);
        Assert.Equal(4.5, figures.AvgServiceMinutes);
    }

    [Fact]
    public void Tickets_above_the_last_one_that_left_wait_behind_the_lowest_of_them()
    {
        // 1 done at 5; 2, 3 and 4 still waiting: 2 is at the front since 5, 3 and 4 have not come to it.
        TicketRecord[] tickets =
        [
            new(0, 1, Min(0), null, Min(5)),
            new(0, 2, Min(1), null, null),
            new(0, 3, Min(2), null, null),
            new(0, 4, Min(3), null, null),
        ];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        // Waits 0 (1) and 4 (2) only.
        Assert.Equal(2, figures.AvgWaitMinutes);
        Assert.Equal(3, figures.StillWaiting);
    }

    [Fact]
    public void The_90th_percentile_is_the_nearest_rank()
    {
        // Ten patients in a row, each served for exactly one minute, all arriving at once: waits 0..9 minutes.
        var tickets = Enumerable.Range(1, 10).Select(n => new TicketRecord(0, n, Min(0), null, Min(n))).ToList();

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        Assert.Equal(8, figures.P90WaitMinutes);
        Assert.Equal(4.5, figures.AvgWaitMinutes);
        Assert.Equal(1, figures.AvgServiceMinutes);
    }

    [Fact]
    public void Waits_are_averaged_by_the_hour_the_ticket_was_taken_in_clinic_time()
    {
        // 07:50 Doha: two patients, waits 0 and 10 minutes (one minute of service each is not a wait); 08:30: one, 0.
        var at0750 = new DateTimeOffset(2026, 11, 29, 4, 50, 0, TimeSpan.Zero);
        TicketRecord[] tickets =
        [
            new(0, 1, at0750, null, at0750.AddMinutes(10)),
            new(0, 2, at0750, null, at0750.AddMinutes(12)),
            new(0, 3, at0750.AddMinutes(40), null, at0750.AddMinutes(41)),
        ];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        Assert.Equal(24, figures.AvgWaitByHour!.Count);
        Assert.Equal(5, figures.AvgWaitByHour[7]);
        Assert.Equal(0, figures.AvgWaitByHour[8]);
        Assert.Equal(22, figures.AvgWaitByHour.Count(w => w is null));
    }

    [Fact]
    public void Arrivals_are_counted_by_the_hour_of_the_clinics_clock()
    {
        // 04:59 UTC is 07:59 in Doha; 05:00 UTC is 08:00.
        var utc = new DateTimeOffset(2026, 11, 29, 4, 59, 0, TimeSpan.Zero);
        TicketRecord[] tickets = [new(0, 1, utc, null, null), new(0, 2, utc.AddMinutes(1), null, null), new(0, 3, utc.AddMinutes(2), null, null)];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        Assert.Equal(24, figures.ArrivalsByHour.Count);
        Assert.Equal(1, figures.ArrivalsByHour[7]);
        Assert.Equal(2, figures.ArrivalsByHour[8]);
        Assert.Equal(3, figures.ArrivalsByHour.Sum());
    }

    [Fact]
    public void A_ticket_whose_issue_has_not_arrived_yet_is_counted_but_not_timed()
    {
        TicketRecord[] tickets = [new(0, 1, null, null, Min(5))];

        var figures = DailyFiguresCalculator.Compute("lab", tickets, Clinic.Qatar);

        Assert.Equal((1, 1), (figures.Issued, figures.Done));
        Assert.Null(figures.AvgWaitMinutes);
        Assert.Equal(0, figures.ArrivalsByHour.Sum());
    }

    [Fact]
    public void A_day_without_tickets_has_zeros_and_no_averages()
    {
        var figures = DailyFiguresCalculator.Compute("xray", [], Clinic.Qatar);

        Assert.Equal(("xray", "الأشعة", 0, 0, 0), (figures.Clinic, figures.Name, figures.Issued, figures.StillWaiting, figures.ClearedByReset));
        Assert.Null(figures.AvgWaitMinutes);
        Assert.Null(figures.P90WaitMinutes);
        Assert.Null(figures.AvgServiceMinutes);
        Assert.All(figures.ArrivalsByHour, count => Assert.Equal(0, count));
    }
}
