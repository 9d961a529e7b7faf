using QueueFunctions.Domain;
using QueueFunctions.Streams;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Streams;

public class StreamMessagesTests
{
    private static readonly FixedPins Pins = new(Clinic.Pin);

    // 1 no-show, 2 done, 3 current, 4 and 5 near, 6 far.
    private static readonly ClinicQueueState Queue = Clinic.OpenLab().WithPatients("A", "B", "C", "D", "E", "F")
        .Call("c", Clinic.Morning.AddMinutes(30), Clinic.Rules, Pins)
        .Done("B", Clinic.Pin, "d", Clinic.Morning.AddMinutes(31), Clinic.Rules, Pins);

    [Theory]
    [InlineData("C", "YOUR_TURN", 3, 0, TicketStatus.Waiting)]
    [InlineData("D", "NEAR_TURN", 4, 1, TicketStatus.Waiting)]
    [InlineData("E", "NEAR_TURN", 5, 2, TicketStatus.Waiting)]
    [InlineData("F", "NO_ALERT", 6, 3, TicketStatus.Waiting)]
    [InlineData("B", "STEP_DONE_NEXT", 2, 0, TicketStatus.Done)]
    [InlineData("A", "NO_ALERT", 1, 0, TicketStatus.NoShow)]
    public void Each_patient_gets_the_alert_their_ticket_calls_for(string user, string type, int number, int ahead, TicketStatus status)
    {
        var message = StreamMessages.ForUser(Queue, user, Clinic.Morning);

        Assert.Equal((type, number, ahead, status, 3), (message.Type, message.Number, message.Ahead, message.Status, message.Current));
    }

    [Fact]
    public void A_patient_without_a_ticket_today_is_not_in_queue_with_null_fields()
    {
        var message = StreamMessages.ForUser(Queue, "Z", Clinic.Morning);

        Assert.Equal(("NOT_IN_QUEUE", null, null, null), (message.Type, message.Number, message.Ahead, message.Status));
        Assert.Equal("Z", message.User);
    }

    [Fact]
    public void The_board_sees_current_length_and_waiting()
    {
        var message = StreamMessages.ForBoard(Queue, Clinic.Morning);

        Assert.Equal(("QUEUE_UPDATE", "lab", 3, 6, 4), (message.Type, message.Clinic, message.Current, message.Length, message.Waiting));
    }
}
