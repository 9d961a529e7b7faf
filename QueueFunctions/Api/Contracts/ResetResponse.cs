using System.Text.Json.Serialization;

namespace QueueFunctions.Api.Contracts;

public sealed record ResetResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;

    [JsonPropertyName("message")]
    public string Message => "Counters reset";
}
