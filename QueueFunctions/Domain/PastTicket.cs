using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// What a clinic remembers of a patient's finished ticket once the ticket itself has left its state: enough to answer
/// the patient all day (a repeated <c>done</c>, <c>status</c>, the stream, the visit's view). One per patient per
/// service day, so it is kept as small as a ticket can be (<see cref="PastTicketJsonConverter"/>).
/// </summary>
/// <param name="Round">The round (resets before it) the ticket was issued in: a number names a ticket only within it.</param>
/// <param name="OfVisit">Whether the ticket was a visit's step; the visit's id follows from the user and the day (<see cref="VisitKey"/>).</param>
[JsonConverter(typeof(PastTicketJsonConverter))]
public sealed record PastTicket(int Number, TicketStatus Status, int Round, bool OfVisit)
{
    public static PastTicket Of(Ticket ticket, int round) => new(ticket.Number, ticket.Status, round, ticket.Visit is not null);

    /// <summary>Whether this ticket came after <paramref name="other"/> the same day.</summary>
    public bool IsLaterThan(PastTicket other) => Round != other.Round ? Round > other.Round : Number > other.Number;

    /// <summary>The ticket as replies use it; its times and request are not kept, and nothing that reads it needs them.</summary>
    public Ticket ToTicket(string user, DateOnly serviceDay) =>
        new(Number, user, Status, DateTimeOffset.MinValue, null, string.Empty, OfVisit ? VisitKey.Of(user, serviceDay) : null);
}
