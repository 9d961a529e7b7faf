using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// Stores a remembered ticket as one number, <c>number × 10 + kind</c>, where the last digit says DONE (1), NO_SHOW (2),
/// a visit's DONE (3) or a visit's NO_SHOW (4): ticket 57 done reads <c>571</c>. A ticket issued after a reset adds its
/// round: <c>[571, 1]</c>. A busy clinic remembers a couple of thousand patients a day in a state that is read and
/// written whole on every operation (see <see cref="CompactArrayJsonConverter{T}"/>); as an array of its fields each took 3
/// characters more, which pushed a 2,000-patient day (8-digit ids) past the engine's table row into a blob.
/// </summary>
public sealed class PastTicketJsonConverter : JsonConverter<PastTicket>
{
    public override PastTicket Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string what = nameof(PastTicket);
        var round = 0;
        int code;
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            code = StoredArray.Int(ref reader, what);
            var rest = StoredArray.RemainingInts(ref reader, what);
            round = rest.Count == 1 ? rest[0] : throw new JsonException($"A stored {what} array is [ticket, round].");
        }
        else
        {
            code = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : throw new JsonException($"A stored {what} is a number.");
        }

        var (status, ofVisit) = (code % 10) switch
        {
            1 => (TicketStatus.Done, false),
            2 => (TicketStatus.NoShow, false),
            3 => (TicketStatus.Done, true),
            4 => (TicketStatus.NoShow, true),
            var kind => throw new JsonException($"A stored {what} has an unknown kind {kind}."),
        };
        return new PastTicket(code / 10, status, round, ofVisit);
    }

    public override void Write(Utf8JsonWriter writer, PastTicket value, JsonSerializerOptions options)
    {
        var kind = (value.Status, value.OfVisit) switch
        {
            (TicketStatus.Done, false) => 1,
            (TicketStatus.NoShow, false) => 2,
            (TicketStatus.Done, true) => 3,
            (TicketStatus.NoShow, true) => 4,
            _ => throw new JsonException($"Only finished tickets are remembered, not {value.Status} ones."),
        };
        var code = (value.Number * 10) + kind;
        if (value.Round == 0)
        {
            writer.WriteNumberValue(code);
            return;
        }

        writer.WriteStartArray();
        writer.WriteNumberValue(code);
        writer.WriteNumberValue(value.Round);
        writer.WriteEndArray();
    }
}
