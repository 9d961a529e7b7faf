using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

/// <summary>
/// One number handed out at one clinic on one service day. The clinic's state holds every waiting ticket, so the stored
/// form is kept short (one-letter names, numbers for the status and the instants, no empty fields): each waiting patient
/// costs about 75 characters, and the state stays in the engine's table row up to a few hundred waiting.
/// </summary>
/// <param name="RequestId">The request that created the ticket, so the caller can tell its own new ticket from one it already held.</param>
/// <param name="Visit">The visit this ticket is a step of, if any: its DONE moves that visit on.</param>
public sealed record Ticket(
    [property: JsonPropertyName("n")] int Number,
    [property: JsonPropertyName("u")] string User,
    [property: JsonPropertyName("s"), JsonConverter(typeof(JsonNumberEnumConverter<TicketStatus>))] TicketStatus Status,
    [property: JsonPropertyName("at"), JsonConverter(typeof(UnixMillisecondsJsonConverter))] DateTimeOffset EnteredAt,
    [property: JsonPropertyName("fin"), JsonConverter(typeof(UnixMillisecondsJsonConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("req")] string RequestId,
    [property: JsonPropertyName("v"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Visit = null)
{
    [JsonIgnore]
    public bool IsWaiting => Status == TicketStatus.Waiting;

    public bool BelongsTo(string user) => string.Equals(User, user, StringComparison.OrdinalIgnoreCase);
}
