using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

/// <summary>
/// The publisher's word that the outbox up to <see cref="Version"/> is in the queue, and how many changes it takes next.
/// <see cref="Publisher"/> is its instance id: null from a publisher started before publishers were named, which the
/// clinic then gives nothing more.
/// </summary>
public sealed record OutboxAcknowledgement(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("max")] int Max,
    [property: JsonPropertyName("publisher")] string? Publisher = null);
