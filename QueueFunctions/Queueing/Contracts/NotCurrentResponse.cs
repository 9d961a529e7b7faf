using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing.Contracts;

/// <summary>409 NOT_CURRENT: the called ticket has left the queue otherwise (done, a reset); <c>current</c> is who is served now.</summary>
public sealed record NotCurrentResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("current")] int Current)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => false;
}
