using System.Text.Json;
using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Domain;

/// <summary>
/// A patient's latest ticket of the day stays answerable all day, however many tickets the clinic finishes after it,
/// while the state still only holds the waiting room and the last finished tickets.
/// </summary>
public class DayMemoryTests(ITestOutputHelper output)
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    private static ClinicQueueState BusyAfter(ClinicQueueState state, int others, DateTimeOffset at)
    {
        for (var i = 0; i < others; i++)
        {
            // Request ids of their own: a repeated id is a retry, which the queue does not apply again.
            state = state.Enter($"O{i}", $"busy-{at.Ticks}-e{i}", at, Clinic.Rules, Pins)
                .Done($"O{i}", Clinic.Pin, $"busy-{at.Ticks}-d{i}", at, Clinic.Rules, Pins);
        }

        return state;
    }

    [Fact]
    public void A_patient_done_before_70_others_is_still_done_and_a_repeated_done_answers_the_same_number()
    {
        var state = Clinic.OpenLab().WithPatients("A")
            .Done("A", Clinic.Pin, "first", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins);
        state = BusyAfter(state, 70, Clinic.Morning.AddMinutes(20));
        Assert.DoesNotContain(state.Tickets, t => t.User == "A");

        var ticket = state.LatestTicketOf("a");
        var repeated = state.Done("A", Clinic.Pin, "again", Clinic.Morning.AddHours(9), Clinic.Rules, Pins);

        Assert.Equal((1, TicketStatus.Done), (ticket!.Number, ticket.Status));
        Assert.Equal((ReceiptOutcome.Done, (int?)1), (repeated.ReceiptFor("again")!.Outcome, repeated.ReceiptFor("again")!.Number));
        Assert.Equal(state.Version, repeated.Version);
        Assert.Equal(71, repeated.DoneCount);
    }

    [Fact]
    public void A_patient_who_never_had_a_ticket_today_is_still_not_in_the_queue()
    {
        var state = BusyAfter(Clinic.OpenLab(), 60, Clinic.Morning);

        Assert.Null(state.LatestTicketOf("NOBODY"));
        Assert.Equal(ReceiptOutcome.NotInQueue, state.Done("NOBODY", Clinic.Pin, "d", Clinic.Morning, Clinic.Rules, Pins).ReceiptFor("d")!.Outcome);
    }

    [Fact]
    public void The_latest_ticket_wins_over_a_remembered_earlier_one()
    {
        var state = Clinic.OpenLab().WithPatients("A")
            .Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);
        state = BusyAfter(state, 55, Clinic.Morning.AddMinutes(2));
        state = state.Enter("A", "again", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins);

        Assert.Equal((57, TicketStatus.Waiting), (state.LatestTicketOf("A")!.Number, state.LatestTicketOf("A")!.Status));

        state = state.Done("A", Clinic.Pin, "d2", Clinic.Morning.AddMinutes(4), Clinic.Rules, Pins);
        state = BusyAfter(state, 55, Clinic.Morning.AddMinutes(5));

        Assert.Equal((57, TicketStatus.Done), (state.LatestTicketOf("A")!.Number, state.LatestTicketOf("A")!.Status));
    }

    [Fact]
    public void A_remembered_no_show_who_turns_up_is_done_in_the_round_it_was_issued()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B")
            .Call("c", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);
        state = BusyAfter(state, 55, Clinic.Morning.AddMinutes(2));
        state = state.Reset("x", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins);
        Assert.Equal(TicketStatus.NoShow, state.LatestTicketOf("A")!.Status);

        var done = state.Done("A", Clinic.Pin, "late", Clinic.Morning.AddMinutes(4), Clinic.Rules, Pins);

        Assert.Equal(TicketStatus.Done, done.LatestTicketOf("A")!.Status);
        var change = done.Outbox[^1];
        Assert.Equal((QueueEvent.TicketDone, (int?)1, 0, 1), (change.Type, change.Number, change.Round, done.Round));
        Assert.Equal(0, done.DoneCount);
    }

    [Fact]
    public void A_reset_remembers_finished_tickets_and_voids_waiting_ones()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C")
            .Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);
        state = BusyAfter(state, 55, Clinic.Morning.AddMinutes(2))
            .Done("B", Clinic.Pin, "d2", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins);
        // A takes a new ticket after being done: the one the reset clears is A's latest.
        state = state.Enter("A", "again", Clinic.Morning.AddMinutes(4), Clinic.Rules, Pins);

        var reset = state.Reset("x", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins);

        Assert.Null(reset.LatestTicketOf("A"));
        Assert.Equal(TicketStatus.Done, reset.LatestTicketOf("B")!.Status);
        Assert.Null(reset.LatestTicketOf("C"));
        Assert.Equal(TicketStatus.Done, reset.LatestTicketOf("O0")!.Status);
    }

    [Fact]
    public void A_new_service_day_forgets_yesterdays_patients()
    {
        var state = BusyAfter(Clinic.OpenLab(), 60, Clinic.Morning);

        var tomorrow = state.Enter("X", "x", Clinic.Morning.AddDays(1), Clinic.Rules, Pins);

        Assert.Null(tomorrow.LatestTicketOf("O0"));
        Assert.Null(tomorrow.Past);
        Assert.Null(state.AsSeenOn(Clinic.Today.AddDays(1)).LatestTicketOf("O0"));
    }

    [Fact]
    public void A_remembered_visit_ticket_names_its_visit()
    {
        var visit = VisitKey.Of("V1", Clinic.Today);
        var state = Clinic.OpenLab().Enter("V1", "v", Clinic.Morning, Clinic.Rules, Pins, visit)
            .Done("V1", Clinic.Pin, "d", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);
        state = BusyAfter(state, 55, Clinic.Morning.AddMinutes(2));

        var repeated = state.Done("v1", Clinic.Pin, "again", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins);

        Assert.Equal(visit, state.LatestTicketOf("v1")!.Visit);
        Assert.Equal(visit, repeated.ReceiptFor("again")!.Visit);
    }

    [Fact]
    public void The_memory_reads_back_from_its_stored_form()
    {
        var state = Clinic.OpenLab().Enter("V1", "v", Clinic.Morning, Clinic.Rules, Pins, VisitKey.Of("V1", Clinic.Today))
            .Done("V1", Clinic.Pin, "d", Clinic.Morning.AddMinutes(1), Clinic.Rules, Pins);
        state = BusyAfter(state, 55, Clinic.Morning.AddMinutes(2)).Reset("x", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins);
        state = BusyAfter(state, 55, Clinic.Morning.AddMinutes(4));

        var json = JsonSerializer.Serialize(state);
        var read = JsonSerializer.Deserialize<ClinicQueueState>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(read));
        Assert.Equal(state.Past!.OrderBy(p => p.Key), read.Past!.OrderBy(p => p.Key));
        Assert.Contains("\"V1\":13", json, StringComparison.Ordinal);
        Assert.Contains("\"O0\":[11,1]", json, StringComparison.Ordinal);
    }

    /// <summary>
    /// The engine keeps an entity's state in its table row up to about 60 KB of escaped JSON, and moves it to a blob
    /// beyond (read and written on every operation). 2,000 patients with 8-digit ids over ten hours (one every 18 s,
    /// as a busy lab) is a very busy clinic's day.
    /// </summary>
    [Fact]
    public void A_day_of_2000_patients_keeps_the_state_inside_the_engines_table_row()
    {
        var state = Clinic.OpenLab();
        for (var i = 0; i < 2000; i++)
        {
            var user = $"{10_000_000 + i}";
            var at = Clinic.Morning.AddSeconds(18 * i);
            state = state.Enter(user, $"e{i}", at, Clinic.Rules, Pins)
                .Done(user, Clinic.Pin, $"d{i}", at, Clinic.Rules, Pins)
                .AcknowledgeOutbox(long.MaxValue);
        }

        // As the engine stores it: the state's JSON as a string inside its own JSON, quotes escaped.
        var stored = JsonSerializer.Serialize(JsonSerializer.Serialize(state));

        output.WriteLine($"State as stored after 2,000 patients: {stored.Length:N0} characters ({state.Past!.Count:N0} remembered)");
        Assert.Equal(2000, state.Past.Count + state.Tickets.Count);
        Assert.InRange(stored.Length, 1, 60_000);
    }
}
