using System.Text.Json.Serialization;

namespace QueueFunctions.Push.Contracts;

/// <summary>A subscription kept: until the end of <see cref="ServiceDay"/>.</summary>
public sealed record SubscribedResponse(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("lang")] string Lang,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
