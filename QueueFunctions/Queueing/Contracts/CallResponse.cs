using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing.Contracts;

/// <param name="Number">The new current number (0 when nobody waits any more).</param>
/// <param name="Skipped">The ticket that became a no-show.</param>
public sealed record CallResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("skipped")] int? Skipped,
    [property: JsonPropertyName("waiting")] int Waiting)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
