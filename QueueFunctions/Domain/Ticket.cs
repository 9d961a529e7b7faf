using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// One number handed out at one clinic on one service day. The clinic's state holds every waiting ticket, so it is
/// stored in short form (<see cref="TicketJsonConverter"/>).
/// </summary>
/// <param name="RequestId">The request that created the ticket, so the caller can tell its own new ticket from one it already held.</param>
/// <param name="Visit">The visit this ticket is a step of, if any: its DONE moves that visit on.</param>
[JsonConverter(typeof(TicketJsonConverter))]
public sealed record Ticket(
    int Number,
    string User,
    TicketStatus Status,
    DateTimeOffset EnteredAt,
    DateTimeOffset? FinishedAt,
    string RequestId,
    string? Visit = null)
{
    public bool IsWaiting => Status == TicketStatus.Waiting;

    public bool BelongsTo(string user) => string.Equals(User, user, StringComparison.OrdinalIgnoreCase);
}
