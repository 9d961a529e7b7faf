using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Visits;

/// <summary>What the clinic entity does for visits: it numbers their tickets and relays their DONE.</summary>
public class VisitEntityTests
{
    private readonly EntityHarness lab = new("lab", new FixedPins(Clinic.Pin));

    [Fact]
    public async Task A_visit_gets_the_next_number_like_any_patient_and_the_ticket_is_marked_as_its_step()
    {
        await lab.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("A", "r1", Clinic.Morning));

        var number = await lab.RunAsync(ClinicQueueEntity.Operations.EnterVisit, new EnterCommand("P1", "visit-1-0", Clinic.Morning, "visit-1"));
        var again = await lab.RunAsync(ClinicQueueEntity.Operations.EnterVisit, new EnterCommand("P1", "visit-1-0", Clinic.Morning, "visit-1"));

        Assert.Equal(2, number);
        Assert.Equal(2, again);
        Assert.Equal("visit-1", lab.State.WaitingTicketOf("P1")!.Visit);
        Assert.Null(lab.State.WaitingTicketOf("A")!.Visit);
        Assert.Equal(2, lab.State.LastNumber);
    }

    [Fact]
    public async Task A_ticket_the_patient_already_held_becomes_the_visits_step_without_a_new_number()
    {
        await lab.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("P1", "r1", Clinic.Morning));

        var number = await lab.RunAsync(ClinicQueueEntity.Operations.EnterVisit, new EnterCommand("P1", "visit-1-0", Clinic.Morning, "visit-1"));

        Assert.Equal(1, number);
        Assert.Equal("visit-1", Assert.Single(lab.State.Tickets).Visit);
    }

    [Fact]
    public async Task The_DONE_of_a_visits_ticket_starts_one_relay_named_for_the_ticket_and_a_repeat_starts_none()
    {
        await lab.RunAsync(ClinicQueueEntity.Operations.EnterVisit, new EnterCommand("P1", "visit-1-0", Clinic.Morning, "visit-1"));
        await lab.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand("P1", Clinic.WrongPin, "d0", Clinic.Morning.AddMinutes(1)));
        Assert.DoesNotContain(lab.StartedOrchestrations, o => o.Name == VisitStepRelay.Name);

        await lab.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand("P1", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(2)));
        await lab.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand("P1", Clinic.Pin, "d2", Clinic.Morning.AddMinutes(3)));

        var relay = Assert.Single(lab.StartedOrchestrations, o => o.Name == VisitStepRelay.Name);
        Assert.Equal(new VisitStepDone("visit-1", "lab", 1, Clinic.Morning.AddMinutes(2)), relay.Input);
        Assert.Equal(VisitStepRelay.InstanceIdOf("visit-1", "lab", 0, 1), relay.InstanceId);
    }

    [Fact]
    public async Task The_receipt_of_a_visits_done_names_the_visit_even_once_the_ticket_has_left_the_state()
    {
        await lab.RunAsync(ClinicQueueEntity.Operations.EnterVisit, new EnterCommand("P1", "visit-1-0", Clinic.Morning, "visit-1"));
        var others = Enumerable.Range(1, QueueRules.MaxFinishedTickets + 5).Select(i => $"O{i}").ToList();
        foreach (var user in others)
        {
            await lab.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand(user, "r-" + user, Clinic.Morning));
        }

        // A burst of dones: the visit's ticket is finished first, so it is the first pushed out of the state.
        await lab.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand("P1", Clinic.Pin, "d-P1", Clinic.Morning.AddMinutes(1)));
        foreach (var user in others)
        {
            await lab.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand(user, Clinic.Pin, "d-" + user, Clinic.Morning.AddMinutes(2)));
        }

        Assert.DoesNotContain(lab.State.Tickets, t => t.User == "P1");
        Assert.Equal(TicketStatus.Done, lab.State.LatestTicketOf("P1")!.Status);
        Assert.Equal(("visit-1", (int?)1), (lab.State.ReceiptFor("d-P1")!.Visit, lab.State.ReceiptFor("d-P1")!.Number));
        Assert.Null(lab.State.ReceiptFor("d-O1")!.Visit);
    }

    [Fact]
    public async Task A_plain_tickets_DONE_starts_no_relay()
    {
        await lab.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("A", "r1", Clinic.Morning));
        await lab.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand("A", Clinic.Pin, "d1", Clinic.Morning.AddMinutes(2)));

        Assert.DoesNotContain(lab.StartedOrchestrations, o => o.Name == VisitStepRelay.Name);
        Assert.Equal(TicketStatus.Done, lab.State.LatestTicketOf("A")!.Status);
    }

    [Fact]
    public async Task Waiting_counts_todays_waiting_tickets_and_a_queue_from_yesterday_as_empty()
    {
        await lab.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("A", "r1", Clinic.Morning));
        await lab.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("B", "r2", Clinic.Morning));

        Assert.Equal(2, await lab.RunAsync(ClinicQueueEntity.Operations.Waiting, Clinic.Morning.AddHours(1)));
        Assert.Equal(0, await lab.RunAsync(ClinicQueueEntity.Operations.Waiting, Clinic.Morning.AddDays(1)));
    }
}
