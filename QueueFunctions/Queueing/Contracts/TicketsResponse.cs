using System.Text.Json.Serialization;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing.Contracts;

/// <param name="User">Partly masked (<see cref="MaskedUser"/>).</param>
/// <param name="WaitedMinutes">From taking the ticket until now (waiting) or until it was finished.</param>
public sealed record TicketLine(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("status")] TicketStatus Status,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("enteredAt")] DateTimeOffset EnteredAt,
    [property: JsonPropertyName("waitedMinutes")] int WaitedMinutes,
    [property: JsonPropertyName("visit")] bool Visit);

public sealed record TicketsResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("waiting")] int Waiting,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("tickets")] IReadOnlyList<TicketLine> Tickets)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
