using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

public class ServiceDayTests
{
    private static readonly DateTimeOffset Pivot = new(2026, 11, 30, 5, 0, 0, TimeSpan.FromHours(3));

    [Fact]
    public void The_service_day_turns_exactly_at_05_00_local_time()
    {
        Assert.Equal(new DateOnly(2026, 11, 29), Clinic.Rules.ServiceDayOf(Pivot.AddTicks(-1)));
        Assert.Equal(new DateOnly(2026, 11, 30), Clinic.Rules.ServiceDayOf(Pivot));
        Assert.Equal(new DateOnly(2026, 11, 30), Clinic.Rules.ServiceDayOf(Pivot.AddTicks(1)));
    }

    [Fact]
    public void The_service_day_follows_the_clinics_time_zone_not_the_servers()
    {
        // 01:59:59 UTC is 04:59:59 in Doha: still the previous service day.
        Assert.Equal(new DateOnly(2026, 11, 29), Clinic.Rules.ServiceDayOf(new DateTimeOffset(2026, 11, 30, 1, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 11, 30), Clinic.Rules.ServiceDayOf(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void One_tick_before_the_pivot_the_queue_goes_on()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B");

        var next = state.Enter("C", "r", Pivot.AddTicks(-1), Clinic.Rules, new FixedPins("1111"));

        Assert.Equal(3, next.WaitingTicketOf("C")!.Number);
        Assert.Equal(Clinic.Pin, next.Pin);
        Assert.Equal(Clinic.Today, next.ServiceDay);
    }

    [Fact]
    public void The_first_operation_at_the_pivot_starts_a_fresh_queue_with_a_new_pin()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Done("A", Clinic.WrongPin, "w", Clinic.Morning.AddHours(1), Clinic.Rules, new FixedPins(Clinic.Pin));

        var next = state.Enter("B", "r", Pivot, Clinic.Rules, new FixedPins("1111"));

        Assert.Equal(new DateOnly(2026, 11, 30), next.ServiceDay);
        Assert.Equal(1, Assert.Single(next.Tickets).Number);
        Assert.Equal("1111", next.Pin);
        Assert.Empty(next.PinFailures);
        Assert.True(next.Version > state.Version);
    }

    [Fact]
    public void A_lagging_clock_never_takes_the_queue_back_a_day()
    {
        var tomorrow = Clinic.OpenLab().OnDayOf(Pivot, Clinic.Rules, new FixedPins("1111"));

        var late = tomorrow.Enter("A", "r", Pivot.AddSeconds(-2), Clinic.Rules, new FixedPins("2222"));

        Assert.Equal(new DateOnly(2026, 11, 30), late.ServiceDay);
        Assert.Equal("1111", late.Pin);
        Assert.Equal(1, late.WaitingTicketOf("A")!.Number);
    }

    [Fact]
    public void Reading_a_stale_day_shows_an_empty_queue_without_changing_it()
    {
        var yesterday = Clinic.OpenLab().WithPatients("A", "B");

        var seen = yesterday.AsSeenOn(new DateOnly(2026, 11, 30));

        Assert.Empty(seen.Tickets);
        Assert.Equal(0, seen.Current);
        Assert.Equal(new DateOnly(2026, 11, 30), seen.ServiceDay);
        Assert.Equal(2, yesterday.Tickets.Count);
        Assert.Same(yesterday, yesterday.AsSeenOn(Clinic.Today));
    }
}
