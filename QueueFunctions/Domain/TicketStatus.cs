using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <remarks>Replies name it; the clinic's stored state keeps its number, so the numbers never change.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<TicketStatus>))]
public enum TicketStatus
{
    [JsonStringEnumMemberName("WAITING")] Waiting = 0,
    [JsonStringEnumMemberName("DONE")] Done = 1,
    [JsonStringEnumMemberName("NO_SHOW")] NoShow = 2,
}
