using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

[JsonConverter(typeof(JsonStringEnumConverter<TicketStatus>))]
public enum TicketStatus
{
    [JsonStringEnumMemberName("WAITING")] Waiting,
    [JsonStringEnumMemberName("DONE")] Done,
    [JsonStringEnumMemberName("NO_SHOW")] NoShow,
}
