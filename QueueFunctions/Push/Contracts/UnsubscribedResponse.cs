using System.Text.Json.Serialization;

namespace QueueFunctions.Push.Contracts;

/// <param name="Removed">False when the endpoint had no subscription today: the answer is the same 200, so a repeat is harmless.</param>
public sealed record UnsubscribedResponse([property: JsonPropertyName("removed")] bool Removed)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
