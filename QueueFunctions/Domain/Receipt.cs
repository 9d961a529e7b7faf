using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <remarks>Stored as its number in the clinic's state, so the numbers never change.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<ReceiptOutcome>))]
public enum ReceiptOutcome
{
    Done = 0,
    NotInQueue = 1,
    InvalidPin = 2,
    PinLocked = 3,
    Called = 4,
    QueueEmpty = 5,
    Reset = 6,
    NotCurrent = 7,
    QueueFull = 8,
}

/// <summary>
/// What one signalled request did. Signals return nothing to their sender, so the entity
/// keeps a short trail of outcomes that the sender reads back by request id. Stored in short form
/// (<see cref="ReceiptJsonConverter"/>), as tickets are.
/// </summary>
/// <param name="Number">The ticket finished (done) or skipped (call).</param>
/// <param name="Current">The number served right after the operation.</param>
/// <param name="Waiting">How many still waited right after the operation.</param>
/// <param name="Visit">For a done ticket of a visit, the visit: the ticket itself may leave the state before the
/// requester reads the receipt (a burst of dones pushes finished tickets out), and the reply must still say where
/// the visit goes next.</param>
[JsonConverter(typeof(ReceiptJsonConverter))]
public sealed record Receipt(
    string RequestId,
    ReceiptOutcome Outcome,
    int? Number,
    int Current,
    int Waiting,
    DateTimeOffset At,
    string? Visit = null);
