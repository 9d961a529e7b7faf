using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

/// <summary>
/// A staff action retried with the same request id (the same Idempotency-Key) is applied once, within 10 minutes,
/// whatever other traffic the clinic gets in between; and a call that names its ticket never skips another.
/// </summary>
public class StaffRetryTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    private static ClinicQueueState JunkDones(ClinicQueueState state, int count, DateTimeOffset at)
    {
        for (var i = 0; i < count; i++)
        {
            state = state.Done($"JUNK{i}", Clinic.Pin, $"junk{i}", at, Clinic.Rules, Pins);
        }

        return state;
    }

    [Fact]
    public void A_retried_call_after_a_flood_of_junk_dones_skips_nobody_else()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C")
            .Call("staff-1", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);
        state = JunkDones(state, 300, Clinic.Morning.AddMinutes(2));

        var retried = state.Call("staff-1", Clinic.Morning.AddMinutes(9), Clinic.Rules, Pins);

        Assert.Same(state, retried);
        Assert.Equal((2, 2), (retried.Current, retried.WaitingCount));
        var receipt = retried.ReceiptFor("staff-1")!;
        Assert.Equal((ReceiptOutcome.Called, (int?)1, 2, 2), (receipt.Outcome, receipt.Number, receipt.Current, receipt.Waiting));
    }

    [Fact]
    public void A_retried_reset_keeps_the_tickets_taken_since_the_first()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Reset("staff-reset", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins)
            .Enter("C", "c", Clinic.Morning.AddMinutes(2), Clinic.Rules, Pins);

        var retried = state.Reset("staff-reset", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins);

        Assert.Equal(1, retried.Round);
        Assert.Equal(["C"], retried.Tickets.Select(t => t.User));
    }

    [Fact]
    public void A_staff_outcome_is_kept_10_minutes_then_a_repeat_is_a_new_action()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C")
            .Call("staff-1", Clinic.Morning, Clinic.Rules, Pins);

        Assert.Same(state, state.Call("staff-1", Clinic.Morning + QueueRules.StaffReceiptLifetime - TimeSpan.FromSeconds(1), Clinic.Rules, Pins));

        var other = state.Call("staff-2", Clinic.Morning + QueueRules.StaffReceiptLifetime + TimeSpan.FromSeconds(1), Clinic.Rules, Pins);
        Assert.Null(other.ReceiptFor("staff-1"));
    }

    [Fact]
    public void Staff_outcomes_are_capped_apart_from_patients()
    {
        var state = Clinic.OpenLab();
        for (var i = 0; i < QueueRules.MaxStaffReceipts + 5; i++)
        {
            state = state.Call($"s{i}", Clinic.Morning, Clinic.Rules, Pins);
        }

        Assert.Equal(QueueRules.MaxStaffReceipts, state.StaffReceipts!.Count);
        Assert.Null(state.ReceiptFor("s0"));
        Assert.Empty(state.Receipts);
    }

    [Fact]
    public void A_call_that_names_the_current_ticket_is_applied()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B");

        var called = state.Call("c", Clinic.Morning, Clinic.Rules, Pins, number: 1);

        Assert.Equal(TicketStatus.NoShow, called.LatestTicketOf("A")!.Status);
        Assert.Equal((ReceiptOutcome.Called, (int?)1, 2), (called.ReceiptFor("c")!.Outcome, called.ReceiptFor("c")!.Number, called.ReceiptFor("c")!.Current));
    }

    [Fact]
    public void A_call_repeated_for_a_ticket_already_called_answers_as_the_first_and_skips_nobody()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C")
            .Call("first", Clinic.Morning, Clinic.Rules, Pins, number: 1)
            .Enter("D", "d", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);

        var repeated = state.Call("second", Clinic.Morning.AddMinutes(2), Clinic.Rules, Pins, number: 1);

        Assert.Equal(2, repeated.Current);
        Assert.Equal(state.Version, repeated.Version);
        var receipt = repeated.ReceiptFor("second")!;
        Assert.Equal((ReceiptOutcome.Called, (int?)1, 2, 2), (receipt.Outcome, receipt.Number, receipt.Current, receipt.Waiting));
    }

    [Fact]
    public void A_call_for_a_ticket_done_meanwhile_is_not_current_and_changes_nothing()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Done("A", Clinic.Pin, "d", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);

        var refused = state.Call("c", Clinic.Morning.AddMinutes(2), Clinic.Rules, Pins, number: 1);

        Assert.Equal(state.Version, refused.Version);
        Assert.Equal((ReceiptOutcome.NotCurrent, 2), (refused.ReceiptFor("c")!.Outcome, refused.ReceiptFor("c")!.Current));
    }

    [Fact]
    public void A_call_for_a_ticket_a_reset_cleared_is_not_current()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C")
            .Reset("x", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins)
            .Enter("D", "d", Clinic.Morning.AddMinutes(2), Clinic.Rules, Pins)
            .Enter("E", "e", Clinic.Morning.AddMinutes(2), Clinic.Rules, Pins);

        var refused = state.Call("c", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins, number: 2);

        Assert.Equal(TicketStatus.Waiting, refused.LatestTicketOf("E")!.Status);
        Assert.Equal((ReceiptOutcome.NotCurrent, 1), (refused.ReceiptFor("c")!.Outcome, refused.ReceiptFor("c")!.Current));
    }

    [Fact]
    public void A_call_for_a_ticket_when_nobody_waits_is_queue_empty()
    {
        var state = Clinic.OpenLab();

        Assert.Equal(ReceiptOutcome.QueueEmpty, state.Call("c", Clinic.Morning, Clinic.Rules, Pins, number: 3).ReceiptFor("c")!.Outcome);
    }

    [Fact]
    public void A_retried_enter_after_its_ticket_was_finished_takes_no_second_number()
    {
        var state = Clinic.OpenLab().Enter("A", "k", Clinic.Morning, Clinic.Rules, Pins)
            .Done("A", Clinic.Pin, "d", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);

        var retried = state.Enter("A", "k", Clinic.Morning.AddMinutes(2), Clinic.Rules, Pins);

        Assert.Same(state, retried);
        Assert.Equal(1, retried.LastNumber);
    }

    [Fact]
    public void A_retried_wrong_pin_counts_once()
    {
        var state = Clinic.OpenLab().WithPatients("A")
            .Done("A", Clinic.WrongPin, "d", Clinic.Morning, Clinic.Rules, Pins);

        var retried = state.Done("A", Clinic.WrongPin, "d", Clinic.Morning, Clinic.Rules, Pins);

        Assert.Equal(1, retried.PinFailures["A"]);
    }

    [Fact]
    public void Beyond_max_waiting_an_enter_is_refused_and_changes_nothing()
    {
        var rules = Clinic.Rules with { MaxWaiting = 3 };
        var state = ClinicQueueState.New("lab").OnDayOf(Clinic.Morning, rules, Pins);
        foreach (var user in new[] { "A", "B", "C" })
        {
            state = state.Enter(user, user, Clinic.Morning, rules, Pins);
        }

        var refused = state.Enter("D", "d", Clinic.Morning, rules, Pins);
        var held = refused.Enter("A", "a-again", Clinic.Morning, rules, Pins);
        var visit = refused.Enter("V", "v", Clinic.Morning, rules, Pins, VisitKey.Of("V", Clinic.Today), capped: false);

        Assert.Equal(ReceiptOutcome.QueueFull, refused.ReceiptFor("d")!.Outcome);
        Assert.Equal((state.Version, 3, state.Outbox.Count), (refused.Version, refused.LastNumber, refused.Outbox.Count));
        Assert.Equal(1, held.WaitingTicketOf("A")!.Number);
        Assert.Equal(4, visit.WaitingTicketOf("V")!.Number);
    }
}
