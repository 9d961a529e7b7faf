using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// How a clinic's state is stored. The engine reads and writes it whole on every operation, so its names are short and
/// its tickets and receipts compact arrays (<see cref="CompactArrayJsonConverter{T}"/>). Every stored entity holds this
/// form: a property keeps its name, its place and when it is left out, and one added later reads as its default from
/// a state stored before it. The outbox is one value in the state but four properties here, where it has always been.
/// </summary>
public sealed class ClinicQueueStateJsonConverter : JsonConverter<ClinicQueueState>
{
    public override ClinicQueueState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Stored>(ref reader, options)!.ToState();

    public override void Write(Utf8JsonWriter writer, ClinicQueueState value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, Stored.Of(value), options);

    /// <summary>The stored properties, in the order they are written.</summary>
    private sealed record Stored(
        [property: JsonPropertyName("clinic")] string Clinic,
        [property: JsonPropertyName("day")] DateOnly ServiceDay,
        [property: JsonPropertyName("version")] long Version,
        [property: JsonPropertyName("last")] int LastNumber,
        [property: JsonPropertyName("pin")] string Pin,
        [property: JsonPropertyName("tickets")] ImmutableList<Ticket> Tickets,
        [property: JsonPropertyName("pinFailures")] ImmutableDictionary<string, int> PinFailures,
        [property: JsonPropertyName("receipts")] ImmutableList<Receipt> Receipts,
        [property: JsonPropertyName("outbox")] ImmutableList<QueueEvent> Outbox,
        [property: JsonPropertyName("publishing")] bool Publishing,
        [property: JsonPropertyName("round")] int Round = 0,
        [property: JsonPropertyName("doneTotal")] int DoneTotal = 0,
        [property: JsonPropertyName("pace")] FinishPace? Pace = null,
        [property: JsonPropertyName("flush"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool FlushPending = false,
        [property: JsonPropertyName("past"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableDictionary<string, PastTicket>? Past = null,
        [property: JsonPropertyName("staff"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableList<Receipt>? StaffReceipts = null,
        [property: JsonPropertyName("refused"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableList<Receipt>? Refused = null,
        [property: JsonPropertyName("publisher"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PublisherLease? Publisher = null)
    {
        public static Stored Of(ClinicQueueState state) => new(
            state.Clinic,
            state.ServiceDay,
            state.Version,
            state.LastNumber,
            state.Pin,
            state.Tickets,
            state.PinFailures,
            state.Receipts,
            state.Outbox.Changes,
            state.Outbox.Publishing,
            state.Round,
            state.DoneTotal,
            state.Pace,
            state.Outbox.FlushPending,
            state.Past,
            state.StaffReceipts,
            state.Refused,
            state.Outbox.Publisher);

        public ClinicQueueState ToState() => new(
            Clinic,
            ServiceDay,
            Version,
            LastNumber,
            Pin,
            Tickets,
            PinFailures,
            Receipts,
            new ClinicOutbox(Outbox, Publishing, Publisher, FlushPending),
            Round,
            DoneTotal,
            Pace,
            Past,
            StaffReceipts,
            Refused);
    }
}
