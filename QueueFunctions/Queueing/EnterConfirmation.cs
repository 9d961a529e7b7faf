using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <param name="Existing">True when the user already held this ticket before the request.</param>
/// <param name="State">The queue as it was when the ticket was seen, for ahead/current.</param>
public sealed record EnterConfirmation(Ticket Ticket, bool Existing, ClinicQueueState State);

/// <param name="State">The queue as it was when the outcome was seen.</param>
public sealed record ReceiptConfirmation(Receipt Receipt, ClinicQueueState State);
