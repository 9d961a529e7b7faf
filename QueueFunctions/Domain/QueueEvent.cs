using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// One change of a clinic's queue, as other systems (the clinic's notification system) receive it.
/// Delivered at least once: <see cref="Id"/> is stable, so a consumer drops repeats by it.
/// </summary>
/// <param name="Version">The queue's version right after the change; grows per clinic, so it also orders the events.</param>
/// <param name="Round">Resets of the service day before the change (a reset event carries the round it opens), so a
/// ticket is named by (clinic, serviceDay, round, number) from its own event alone, whatever order events arrive in.</param>
public sealed record QueueEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("number")] int? Number,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("round")] int Round = 0)
{
    public const string TicketIssued = "TICKET_ISSUED";
    public const string TicketDone = "TICKET_DONE";
    public const string TicketNoShow = "TICKET_NO_SHOW";
    public const string QueueReset = "QUEUE_RESET";

    public static QueueEvent Of(ClinicQueueState after, string type, Ticket? ticket, DateTimeOffset at) =>
        new($"{after.Clinic}:{after.Version}", after.Clinic, after.ServiceDay, after.Version, type, ticket?.Number, ticket?.User, at, after.Round);
}
