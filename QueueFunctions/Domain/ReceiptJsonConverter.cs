using System.Text.Json;

namespace QueueFunctions.Domain;

/// <summary>
/// Stores a receipt as <c>[requestId, outcome, number|null, current, waiting, at]</c> plus the visit when it has one:
/// the state keeps up to <see cref="QueueRules.MaxReceipts"/> of them, and more in the staff's and refused trails.
/// </summary>
public sealed class ReceiptJsonConverter : CompactArrayJsonConverter<Receipt>
{
    protected override Receipt ReadItems(ref Utf8JsonReader reader)
    {
        var requestId = StoredArray.String(ref reader, What);
        var outcome = StoredArray.Enum<ReceiptOutcome>(ref reader, What);
        var number = StoredArray.OptionalInt(ref reader, What);
        var current = StoredArray.Int(ref reader, What);
        var waiting = StoredArray.Int(ref reader, What);
        var at = StoredArray.Instant(ref reader, What) ?? throw new JsonException($"A stored {What} has no time.");
        var visit = StoredArray.LastOptionalString(ref reader, What);
        return new Receipt(requestId, outcome, number, current, waiting, at, visit);
    }

    protected override void WriteItems(Utf8JsonWriter writer, Receipt value)
    {
        writer.WriteStringValue(value.RequestId);
        writer.WriteNumberValue((int)value.Outcome);
        StoredArray.WriteOptionalInt(writer, value.Number);
        writer.WriteNumberValue(value.Current);
        writer.WriteNumberValue(value.Waiting);
        StoredArray.WriteInstant(writer, value.At);
        StoredArray.WriteLastOptional(writer, value.Visit);
    }
}
