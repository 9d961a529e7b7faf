using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

/// <summary>
/// Stores a remembered ticket as <c>[number, status]</c>, followed by <c>round, 1</c> or <c>round, 0</c> only when it
/// was issued after a reset or for a visit. A busy clinic remembers a couple of thousand patients a day in a state
/// that is read and written whole on every operation (see <see cref="TicketJsonConverter"/>): about 20 characters
/// each keeps a whole day inside the engine's table row.
/// </summary>
public sealed class PastTicketJsonConverter : JsonConverter<PastTicket>
{
    public override PastTicket Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string what = nameof(PastTicket);
        StoredArray.Start(ref reader, what);
        var number = StoredArray.Int(ref reader, what);
        var status = StoredArray.Enum<TicketStatus>(ref reader, what);
        var rest = StoredArray.RemainingInts(ref reader, what);
        return rest switch
        {
            [] => new PastTicket(number, status, 0, false),
            [var round, var visit] => new PastTicket(number, status, round, visit != 0),
            _ => throw new JsonException($"A stored {what} has {rest.Count + 2} items; 2 or 4 were expected."),
        };
    }

    public override void Write(Utf8JsonWriter writer, PastTicket value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Number);
        writer.WriteNumberValue((int)value.Status);
        if (value.Round != 0 || value.OfVisit)
        {
            writer.WriteNumberValue(value.Round);
            writer.WriteNumberValue(value.OfVisit ? 1 : 0);
        }

        writer.WriteEndArray();
    }
}
