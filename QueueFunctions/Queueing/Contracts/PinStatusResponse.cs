using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing.Contracts;

public sealed record PinStatusResponse(
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("timezone")] string TimeZone,
    [property: JsonPropertyName("reset_time")] string ResetTime,
    [property: JsonPropertyName("pins")] IReadOnlyDictionary<string, string> Pins)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
