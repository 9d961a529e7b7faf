using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

public class QueueEventsTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    [Fact]
    public void Every_change_is_recorded_in_version_order_with_a_stable_id()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Done("A", Clinic.WrongPin, "w", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins)
            .Done("A", Clinic.Pin, "d", Clinic.Morning.AddMinutes(6), Clinic.Rules, Pins)
            .Call("c", Clinic.Morning.AddMinutes(7), Clinic.Rules, Pins)
            .Reset("r", Clinic.Morning.AddMinutes(8), Clinic.Rules, Pins);

        Assert.Equal(
            [("TICKET_ISSUED", 1, "A"), ("TICKET_ISSUED", 2, "B"), ("TICKET_DONE", 1, "A"), ("TICKET_NO_SHOW", 2, "B"), ("QUEUE_RESET", (int?)null, (string?)null)],
            state.Outbox.Select(e => (e.Type, e.Number, e.User)));
        Assert.Equal(state.Outbox.Select(e => e.Version).Order(), state.Outbox.Select(e => e.Version));
        Assert.Equal(state.Version, state.Outbox[^1].Version);
        Assert.All(state.Outbox, e => Assert.Equal($"lab:{e.Version}", e.Id));
        Assert.All(state.Outbox, e => Assert.Equal(Clinic.Today, e.ServiceDay));
    }

    [Fact]
    public void Events_carry_their_time_in_clinic_time_like_every_reply()
    {
        var utc = Clinic.Morning.ToUniversalTime();
        var state = Clinic.OpenLab().Enter("A", "e", utc, Clinic.Rules, Pins)
            .Done("A", Clinic.Pin, "d", utc.AddMinutes(5), Clinic.Rules, Pins);

        Assert.All(state.Outbox, e => Assert.Equal(TimeSpan.FromHours(3), e.At.Offset));
        Assert.Equal(Clinic.Morning, state.Outbox[0].At);
        Assert.Equal("2026-11-29T08:05:00+03:00", System.Text.Json.JsonSerializer.SerializeToElement(state.Outbox[1]).GetProperty("at").GetString());
    }

    [Fact]
    public void Events_name_the_round_so_tickets_numbered_again_after_a_reset_stay_apart()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Reset("r1", Clinic.Morning.AddMinutes(8), Clinic.Rules, Pins)
            .WithPatients("C")
            .Reset("r2", Clinic.Morning.AddMinutes(20), Clinic.Rules, Pins);

        Assert.Equal(
            [("TICKET_ISSUED", 0, 1), ("TICKET_ISSUED", 0, 2), ("QUEUE_RESET", 1, (int?)null), ("TICKET_ISSUED", 1, 1), ("QUEUE_RESET", 2, null)],
            state.Outbox.Select(e => (e.Type, e.Round, e.Number)));

        var nextDay = state.Enter("D", "d", Clinic.Morning.AddDays(1), Clinic.Rules, Pins);
        Assert.Equal(0, nextDay.Round);
        Assert.Equal(0, nextDay.Outbox[^1].Round);
    }

    [Fact]
    public void Requests_that_change_no_ticket_record_nothing()
    {
        var state = Clinic.OpenLab().WithPatients("A");
        var before = state.Outbox.Count;

        state = state.Enter("A", "again", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins)
            .Done("A", Clinic.WrongPin, "w", Clinic.Morning.AddMinutes(6), Clinic.Rules, Pins)
            .Done("Z", Clinic.Pin, "z", Clinic.Morning.AddMinutes(7), Clinic.Rules, Pins);

        Assert.Equal(before, state.Outbox.Count);
    }

    [Fact]
    public void A_publisher_takes_the_oldest_batch_and_acknowledges_it_away()
    {
        var open = Clinic.OpenLab().WithPatients("A", "B", "C");
        var state = open with { Outbox = open.Outbox with { Publishing = true } };

        var (taken, batch) = state.TakeOutbox(2);
        var acknowledged = taken.AcknowledgeOutbox(batch[^1].Version);

        Assert.Equal([1, 2], batch.Select(e => e.Number));
        Assert.Equal(3, taken.Outbox.Count);
        Assert.Equal(3, Assert.Single(acknowledged.Outbox).Number);
        Assert.True(acknowledged.Outbox.Publishing);
    }

    [Fact]
    public void An_empty_outbox_ends_the_publishers_run_and_the_next_change_needs_a_new_one()
    {
        var open = Clinic.OpenLab().WithPatients("A");
        var drained = (open with { Outbox = open.Outbox with { Publishing = true } }).AcknowledgeOutbox(long.MaxValue);

        var (ended, batch) = drained.TakeOutbox(10);

        Assert.Empty(batch);
        Assert.False(ended.Outbox.Publishing);
        Assert.False(ended.Outbox.NeedsSending);
        Assert.True(ended.WithPatients("B").Outbox.NeedsSending);
    }

    [Fact]
    public void Unpublished_changes_survive_the_service_day_turning()
    {
        var state = Clinic.OpenLab().WithPatients("A");

        var tomorrow = state.OnDayOf(Clinic.Morning.AddDays(1), Clinic.Rules, Pins);

        Assert.Equal(state.Outbox, tomorrow.Outbox);
    }
}
