using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

/// <summary>One number handed out at one clinic on one service day.</summary>
/// <param name="RequestId">The request that created the ticket, so the caller can tell its own new ticket from one it already held.</param>
/// <param name="Visit">The visit this ticket is a step of, if any: its DONE moves that visit on.</param>
public sealed record Ticket(
    [property: JsonPropertyName("n")] int Number,
    [property: JsonPropertyName("u")] string User,
    [property: JsonPropertyName("s")] TicketStatus Status,
    [property: JsonPropertyName("at")] DateTimeOffset EnteredAt,
    [property: JsonPropertyName("fin")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("req")] string RequestId,
    [property: JsonPropertyName("v"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Visit = null)
{
    public bool IsWaiting => Status == TicketStatus.Waiting;

    public bool BelongsTo(string user) => string.Equals(User, user, StringComparison.OrdinalIgnoreCase);
}
