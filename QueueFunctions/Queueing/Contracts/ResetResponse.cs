using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing.Contracts;

public sealed record ResetResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("serviceDay"), JsonPropertyOrder(2)] DateOnly ServiceDay)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;

    [JsonPropertyName("message")]
    [JsonPropertyOrder(1)]
    public string Message => "Counters reset";
}
