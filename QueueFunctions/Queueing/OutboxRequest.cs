using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

/// <summary>A publisher asking for the next changes to send: which publisher it is (its instance id), and how many.</summary>
public sealed record OutboxRequest(
    [property: JsonPropertyName("publisher")] string Publisher,
    [property: JsonPropertyName("max")] int Max);
