using System.Text.Json;
using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

/// <summary>
/// The clinic's state is what the engine reads and writes on every operation, and it stays in the engine's table row
/// only while it is small: these pin the short stored form and that it reads back to the same queue.
/// </summary>
public class StoredStateFormTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    [Fact]
    public void A_waiting_ticket_is_stored_as_an_array_with_numbers_for_status_and_time()
    {
        var state = Clinic.OpenLab().WithPatients("A");

        var ticket = JsonSerializer.Serialize(state.Tickets[0]);

        var at = Clinic.Morning.AddMinutes(1).ToUnixTimeMilliseconds();
        Assert.Equal($$"""[1,"A",0,{{at}},null,"req-A"]""", ticket);
    }

    [Fact]
    public void A_finished_ticket_and_a_receipt_are_stored_as_arrays_too()
    {
        var done = Clinic.OpenLab().WithPatients("A", "B").Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(5), Clinic.Rules, Pins);

        var ticket = JsonSerializer.Serialize(done.Tickets.Single(t => t.User == "A"));
        var receipt = JsonSerializer.Serialize(Assert.Single(done.Receipts));

        var enteredAt = Clinic.Morning.AddMinutes(1).ToUnixTimeMilliseconds();
        var finishedAt = Clinic.Morning.AddMinutes(5).ToUnixTimeMilliseconds();
        Assert.Equal($$"""[1,"A",1,{{enteredAt}},{{finishedAt}},"req-A"]""", ticket);
        Assert.Equal($$"""["d1",0,1,2,1,{{finishedAt}}]""", receipt);
    }

    [Fact]
    public void A_busy_days_state_reads_back_as_the_same_queue()
    {
        var state = Clinic.OpenLab().WithPatients("A", "B", "C", "D")
            .Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(10), Clinic.Rules, Pins)
            .Call("c1", Clinic.Morning.AddMinutes(11), Clinic.Rules, Pins)
            .Done("C", Clinic.WrongPin, "d2", Clinic.Morning.AddMinutes(12), Clinic.Rules, Pins);
        var json = JsonSerializer.Serialize(state);

        var read = JsonSerializer.Deserialize<ClinicQueueState>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(read));
        Assert.Equal(state.Tickets.Select(t => (t.Number, t.User, t.Status, t.EnteredAt, t.FinishedAt)), read.Tickets.Select(t => (t.Number, t.User, t.Status, t.EnteredAt, t.FinishedAt)));
        Assert.Equal([TicketStatus.Done, TicketStatus.NoShow, TicketStatus.Waiting, TicketStatus.Waiting], read.Tickets.Select(t => t.Status));
        Assert.Equal([ReceiptOutcome.Done, ReceiptOutcome.InvalidPin], read.Receipts.Select(r => r.Outcome));
        Assert.Equal([ReceiptOutcome.Called], read.StaffReceipts!.Select(r => r.Outcome));
        Assert.Equal(state.Current, read.Current);
        Assert.Equal(1, read.PinFailures["C"]);
    }

    [Fact]
    public void A_visits_ticket_and_receipt_keep_the_visit_as_a_last_item()
    {
        var state = ClinicQueueState.New("lab").Enter("A", "r1", Clinic.Morning, Clinic.Rules, Pins, visit: "visit-1")
            .Done("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(3), Clinic.Rules, Pins);

        var read = JsonSerializer.Deserialize<ClinicQueueState>(JsonSerializer.Serialize(state))!;

        Assert.EndsWith(",\"visit-1\"]", JsonSerializer.Serialize(state.Tickets[0]), StringComparison.Ordinal);
        Assert.Equal("visit-1", read.Tickets[0].Visit);
        Assert.Equal("visit-1", Assert.Single(read.Receipts).Visit);
        Assert.Null(JsonSerializer.Deserialize<Ticket>("""[2,"B",0,1,null,"r"]""")!.Visit);
    }

    [Theory]
    [InlineData("""{"n":1}""")]
    [InlineData("""[1,"A",0]""")]
    [InlineData("""[1,"A","WAITING",1,null,"r"]""")]
    [InlineData("""[1,"A",0,1,null,"r","v",7]""")]
    [InlineData("""[1,"A",9,1,null,"r"]""")]
    public void A_stored_ticket_of_another_shape_is_refused_clearly(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Ticket>(json));

        Assert.Contains("stored Ticket", error.Message, StringComparison.Ordinal);
    }
}
