using System.Text.Json.Serialization;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing.Contracts;

public sealed record EnterResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("status")] TicketStatus Status,
    [property: JsonPropertyName("ahead")] int Ahead,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("enteredAt")] DateTimeOffset EnteredAt,
    [property: JsonPropertyName("existing")] bool Existing,
    [property: JsonPropertyName("estimatedWaitMinutes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EstimatedWaitMinutes)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
