using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// Stores a ticket as an array, <c>[number, user, status, enteredAt, finishedAt|null, requestId]</c> plus the visit when
/// it has one, with the status as its number and the instants as Unix milliseconds. The engine keeps an entity's state in
/// its table row only up to about 60 KB, as an escaped string inside its own JSON where every quote costs extra; beyond
/// that it moves the state to a blob that every operation and every read then downloads and writes. Measured: a waiting
/// ticket took 129 characters as an object with ISO times and about 70 with short names; an array holds the same in
/// about 40 with a third of the quotes, so a clinic with several hundred waiting still fits the row.
/// </summary>
public sealed class TicketJsonConverter : JsonConverter<Ticket>
{
    public override Ticket Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string what = nameof(Ticket);
        StoredArray.Start(ref reader, what);
        var number = StoredArray.Int(ref reader, what);
        var user = StoredArray.String(ref reader, what);
        var status = StoredArray.Enum<TicketStatus>(ref reader, what);
        var enteredAt = StoredArray.Instant(ref reader, what) ?? throw new JsonException("A stored Ticket has no entry time.");
        var finishedAt = StoredArray.Instant(ref reader, what);
        var requestId = StoredArray.String(ref reader, what);
        var visit = StoredArray.LastOptionalString(ref reader, what);
        return new Ticket(number, user, status, enteredAt, finishedAt, requestId, visit);
    }

    public override void Write(Utf8JsonWriter writer, Ticket value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Number);
        writer.WriteStringValue(value.User);
        writer.WriteNumberValue((int)value.Status);
        writer.WriteNumberValue(value.EnteredAt.ToUnixTimeMilliseconds());
        StoredArray.WriteInstant(writer, value.FinishedAt);
        writer.WriteStringValue(value.RequestId);
        if (value.Visit is not null)
        {
            writer.WriteStringValue(value.Visit);
        }

        writer.WriteEndArray();
    }
}
