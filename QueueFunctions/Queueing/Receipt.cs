using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

[JsonConverter(typeof(JsonStringEnumConverter<ReceiptOutcome>))]
public enum ReceiptOutcome
{
    Done,
    NotInQueue,
    InvalidPin,
    PinLocked,
    Called,
    QueueEmpty,
    Reset,
}

/// <summary>
/// What one signalled request did. Signals return nothing to their sender, so the entity
/// keeps a short trail of outcomes that the sender reads back by request id.
/// </summary>
/// <param name="Number">The ticket finished (done) or skipped (call).</param>
/// <param name="Current">The number served right after the operation.</param>
/// <param name="Waiting">How many still waited right after the operation.</param>
public sealed record Receipt(
    [property: JsonPropertyName("id")] string RequestId,
    [property: JsonPropertyName("o")] ReceiptOutcome Outcome,
    [property: JsonPropertyName("n")] int? Number,
    [property: JsonPropertyName("c")] int Current,
    [property: JsonPropertyName("w")] int Waiting,
    [property: JsonPropertyName("at")] DateTimeOffset At);
