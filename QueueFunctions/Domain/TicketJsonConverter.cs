using System.Text.Json;

namespace QueueFunctions.Domain;

/// <summary>
/// Stores a ticket as <c>[number, user, status, enteredAt, finishedAt|null, requestId]</c> plus the visit when it has
/// one: the state holds every waiting ticket.
/// </summary>
public sealed class TicketJsonConverter : CompactArrayJsonConverter<Ticket>
{
    protected override Ticket ReadItems(ref Utf8JsonReader reader)
    {
        var number = StoredArray.Int(ref reader, What);
        var user = StoredArray.String(ref reader, What);
        var status = StoredArray.Enum<TicketStatus>(ref reader, What);
        var enteredAt = StoredArray.Instant(ref reader, What) ?? throw new JsonException($"A stored {What} has no entry time.");
        var finishedAt = StoredArray.Instant(ref reader, What);
        var requestId = StoredArray.String(ref reader, What);
        var visit = StoredArray.LastOptionalString(ref reader, What);
        return new Ticket(number, user, status, enteredAt, finishedAt, requestId, visit);
    }

    protected override void WriteItems(Utf8JsonWriter writer, Ticket value)
    {
        writer.WriteNumberValue(value.Number);
        writer.WriteStringValue(value.User);
        writer.WriteNumberValue((int)value.Status);
        StoredArray.WriteInstant(writer, value.EnteredAt);
        StoredArray.WriteInstant(writer, value.FinishedAt);
        writer.WriteStringValue(value.RequestId);
        StoredArray.WriteLastOptional(writer, value.Visit);
    }
}
