using System.Text.Json.Serialization;

namespace QueueFunctions.Entities;

// The caller's clock travels with every command so the entity stays deterministic and tests control time.

/// <param name="Visit">The visit the ticket is a step of; null for a plain ticket.</param>
public sealed record EnterCommand(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("visit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Visit = null);

public sealed record DoneCommand(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("pin")] string Pin,
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>An operation on the whole queue: call, reset, or opening the day.</summary>
public sealed record ClinicCommand(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("at")] DateTimeOffset At);
