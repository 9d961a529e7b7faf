using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

public class ClinicQueueStateTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    [Fact]
    public void Numbers_are_issued_one_after_another_from_one()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D");

        Assert.Equal([1, 2, 3, 4], state.Tickets.Select(t => t.Number));
        Assert.Equal(["A", "B", "C", "D"], state.Tickets.Select(t => t.User));
        Assert.All(state.Tickets, t => Assert.Equal(TicketStatus.Waiting, t.Status));
        Assert.Equal(4, state.LastNumber);
    }

    [Fact]
    public void Entering_again_while_waiting_keeps_the_same_ticket_and_uses_no_number()
    {
        var once = Clinic.OpenLab().WithPatients("A");

        var twice = once.Enter("a", "another-request", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins);

        Assert.Same(once, twice);
        Assert.Single(twice.Tickets);
        Assert.Equal(1, twice.LastNumber);
    }

    [Fact]
    public void A_user_whose_ticket_is_done_gets_a_new_number()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Enter("A", "again", Clinic.Morning.AddMinutes(11), Clinic.Rules, Pins);

        Assert.Equal([1, 2, 3], state.Tickets.Select(t => t.Number));
        Assert.Equal(3, state.WaitingTicketOf("A")!.Number);
        Assert.Equal(TicketStatus.Done, state.Tickets[0].Status);
    }

    [Fact]
    public void A_user_called_as_no_show_gets_a_new_number()
    {
        var state = Clinic.OpenLab().WithPatients("A")
            .Call("c1", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins)
            .Enter("A", "again", Clinic.Morning.AddMinutes(6), Clinic.Rules, Pins);

        Assert.Equal(2, state.WaitingTicketOf("A")!.Number);
    }

    [Fact]
    public void Done_with_the_right_pin_finishes_the_ticket_and_moves_current()
    {
        var before = Clinic.OpenLab().WithPatients("A", "B");
        var at = Clinic.Morning.AddMinutes(20);

        var after = before.Done("A", Clinic.Pin, "d1", at, Clinic.Rules, Pins);

        Assert.Equal(TicketStatus.Done, after.Tickets[0].Status);
        Assert.Equal(at, after.Tickets[0].FinishedAt);
        Assert.Equal(2, after.Current);
        Assert.True(after.Version > before.Version);
        var receipt = after.ReceiptFor("d1")!;
        Assert.Equal(ReceiptOutcome.Done, receipt.Outcome);
        Assert.Equal(1, receipt.Number);
        Assert.Equal(2, receipt.Current);
    }

    [Fact]
    public void Done_finishes_the_users_own_ticket_not_whoever_is_current()
    {
        var after = Clinic.OpenLab().WithPatients("A", "B", "C")
            .Done("C", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        Assert.Equal([TicketStatus.Waiting, TicketStatus.Waiting, TicketStatus.Done], after.Tickets.Select(t => t.Status));
        Assert.Equal(1, after.Current);
        Assert.Equal(3, after.ReceiptFor("d1")!.Number);
    }

    [Fact]
    public void Done_with_a_wrong_pin_changes_no_ticket()
    {
        var before = Clinic.OpenLab().WithPatients("A", "B");

        var after = before.Done("A", Clinic.WrongPin, "d1", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        Assert.Equal(before.Tickets, after.Tickets);
        Assert.Equal(before.LastNumber, after.LastNumber);
        Assert.Equal(1, after.Current);
        Assert.Equal(1, after.PinFailures[ClinicQueueState.UserKey("A")]);
        Assert.Equal(ReceiptOutcome.InvalidPin, after.ReceiptFor("d1")!.Outcome);
    }

    [Fact]
    public void Five_wrong_pins_lock_the_user_for_the_day_even_against_the_right_pin()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            state = state.Done("A", Clinic.WrongPin, $"w{attempt}", Clinic.Morning.AddMinutes(20 + attempt), Clinic.Rules, Pins);
            Assert.Equal(ReceiptOutcome.InvalidPin, state.ReceiptFor($"w{attempt}")!.Outcome);
        }

        var locked = state.Done("A", Clinic.Pin, "right", Clinic.Morning.AddMinutes(30), Clinic.Rules, Pins);

        Assert.Equal(ReceiptOutcome.PinLocked, locked.ReceiptFor("right")!.Outcome);
        Assert.Equal(TicketStatus.Waiting, locked.Tickets[0].Status);
        Assert.True(locked.IsPinLocked("a", Clinic.Rules));

        // The lock is per user: another patient still finishes with the PIN.
        var other = locked.Done("B", Clinic.Pin, "b", Clinic.Morning.AddMinutes(31), Clinic.Rules, Pins);
        Assert.Equal(ReceiptOutcome.Done, other.ReceiptFor("b")!.Outcome);
    }

    [Fact]
    public void Done_again_for_a_done_ticket_answers_done_and_changes_nothing()
    {
        var once = Clinic.OpenLab().WithPatients("A").Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        var twice = once.Done("A", Clinic.Pin, "d2", Clinic.Morning.AddMinutes(21), Clinic.Rules, Pins);

        Assert.Equal(ReceiptOutcome.Done, twice.ReceiptFor("d2")!.Outcome);
        Assert.Equal(once.Tickets, twice.Tickets);
        Assert.Equal(once.Version, twice.Version);
    }

    [Fact]
    public void Done_without_a_ticket_today_is_not_in_queue()
    {
        var after = Clinic.OpenLab().WithPatients("A").Done("Z", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        Assert.Equal(ReceiptOutcome.NotInQueue, after.ReceiptFor("d1")!.Outcome);
        Assert.Empty(after.PinFailures);
    }

    [Fact]
    public void Call_makes_current_a_no_show_and_moves_on()
    {
        var before = Clinic.OpenLab().WithPatients("A", "B", "C");

        var after = before.Call("c1", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        Assert.Equal(TicketStatus.NoShow, after.Tickets[0].Status);
        Assert.Equal(2, after.Current);
        var receipt = after.ReceiptFor("c1")!;
        Assert.Equal((ReceiptOutcome.Called, 1, 2, 2), (receipt.Outcome, receipt.Number, receipt.Current, receipt.Waiting));
    }

    [Fact]
    public void Call_on_an_empty_queue_changes_nothing()
    {
        var before = Clinic.OpenLab().WithPatients("A").Call("c0", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins);

        var after = before.Call("c1", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        Assert.Equal(ReceiptOutcome.QueueEmpty, after.ReceiptFor("c1")!.Outcome);
        Assert.Equal(before.Tickets, after.Tickets);
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public void Reset_restarts_numbering_at_one_and_keeps_the_days_pin()
    {
        var before = Clinic.OpenLab().WithPatients("A", "B")
            .Done("A", Clinic.WrongPin, "w", Clinic.Morning.AddMinutes(9), Clinic.Rules, Pins);

        var after = before.Reset("r1", Clinic.Morning.AddMinutes(10), Clinic.Rules, new FixedPins("9999"))
            .Enter("B", "again", Clinic.Morning.AddMinutes(11), Clinic.Rules, Pins);

        Assert.Equal(1, Assert.Single(after.Tickets).Number);
        Assert.Equal(Clinic.Pin, after.Pin);
        Assert.Empty(after.PinFailures);
        Assert.Equal(ReceiptOutcome.Reset, after.ReceiptFor("r1")!.Outcome);
        Assert.True(after.Version > before.Version);
    }

    [Fact]
    public void Current_ahead_and_waiting_on_a_mixed_queue()
    {
        var pins = Pins;
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D", "E", "F")
            .Call("c", Clinic.Morning.AddMinutes(20), Clinic.Rules, pins)                    // 1 no-show
            .Done("C", Clinic.Pin, "d", Clinic.Morning.AddMinutes(21), Clinic.Rules, pins)   // 3 done
            .Done("B", Clinic.Pin, "d2", Clinic.Morning.AddMinutes(22), Clinic.Rules, pins); // 2 done

        Assert.Equal(4, state.Current);
        Assert.Equal(3, state.WaitingCount);
        Assert.Equal(2, state.DoneCount);
        Assert.Equal(6, state.LastNumber);
        Assert.Equal(0, state.AheadOf(4));
        Assert.Equal(1, state.AheadOf(5));
        Assert.Equal(2, state.AheadOf(6));
    }

    [Fact]
    public void Version_grows_with_every_change()
    {
        var versions = new List<long>();
        var state = Clinic.OpenLab();
        versions.Add(state.Version);
        state = state.WithPatients("A"); versions.Add(state.Version);
        state = state.WithPatients("B"); versions.Add(state.Version);
        state = state.Call("c", Clinic.Morning.AddMinutes(30), Clinic.Rules, Pins); versions.Add(state.Version);
        state = state.Reset("r", Clinic.Morning.AddMinutes(31), Clinic.Rules, Pins); versions.Add(state.Version);
        state = state.OnDayOf(Clinic.Morning.AddDays(1), Clinic.Rules, Pins); versions.Add(state.Version);

        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public void Receipts_older_than_their_lifetime_are_dropped()
    {
        var state = Clinic.OpenLab().Done("NOBODY", Clinic.Pin, "old", Clinic.Morning, Clinic.Rules, Pins);

        var later = state.Done("NOBODY", Clinic.Pin, "new", Clinic.Morning + QueueRules.ReceiptLifetime + TimeSpan.FromSeconds(1), Clinic.Rules, Pins);

        Assert.Null(later.ReceiptFor("old"));
        Assert.NotNull(later.ReceiptFor("new"));
    }

    [Fact]
    public void Receipts_are_capped()
    {
        var state = Clinic.OpenLab();
        for (var i = 0; i < QueueRules.MaxReceipts + 10; i++)
        {
            state = state.Done("NOBODY", Clinic.Pin, $"c{i}", Clinic.Morning, Clinic.Rules, Pins);
        }

        Assert.Equal(QueueRules.MaxReceipts, state.Receipts.Count);
        Assert.NotNull(state.ReceiptFor($"c{QueueRules.MaxReceipts + 9}"));
        Assert.Null(state.ReceiptFor("c0"));
    }
}
