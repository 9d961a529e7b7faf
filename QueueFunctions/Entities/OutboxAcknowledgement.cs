using System.Text.Json.Serialization;

namespace QueueFunctions.Entities;

/// <summary>The publisher's word that the outbox up to <see cref="Version"/> is in the queue, and how many changes it takes next.</summary>
public sealed record OutboxAcknowledgement(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("max")] int Max);
