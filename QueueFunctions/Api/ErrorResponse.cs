using System.Text.Json.Serialization;

namespace QueueFunctions.Api;

public sealed record ErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("code")] string Code)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => false;
}
