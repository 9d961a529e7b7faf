using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// Stores a receipt as an array, <c>[requestId, outcome, number|null, current, waiting, at]</c> plus the visit when it has
/// one: the state keeps up to <see cref="QueueRules.MaxReceipts"/> of them, and short is what keeps it in the engine's
/// table row (see <see cref="TicketJsonConverter"/>).
/// </summary>
public sealed class ReceiptJsonConverter : JsonConverter<Receipt>
{
    public override Receipt Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string what = nameof(Receipt);
        StoredArray.Start(ref reader, what);
        var requestId = StoredArray.String(ref reader, what);
        var outcome = StoredArray.Enum<ReceiptOutcome>(ref reader, what);
        var number = StoredArray.OptionalInt(ref reader, what);
        var current = StoredArray.Int(ref reader, what);
        var waiting = StoredArray.Int(ref reader, what);
        var at = StoredArray.Instant(ref reader, what) ?? throw new JsonException("A stored Receipt has no time.");
        var visit = StoredArray.LastOptionalString(ref reader, what);
        return new Receipt(requestId, outcome, number, current, waiting, at, visit);
    }

    public override void Write(Utf8JsonWriter writer, Receipt value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value.RequestId);
        writer.WriteNumberValue((int)value.Outcome);
        if (value.Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteNumberValue(value.Current);
        writer.WriteNumberValue(value.Waiting);
        writer.WriteNumberValue(value.At.ToUnixTimeMilliseconds());
        if (value.Visit is not null)
        {
            writer.WriteStringValue(value.Visit);
        }

        writer.WriteEndArray();
    }
}
