using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

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

/// <summary>A staff call: the ticket being served is a no-show; with <see cref="Number"/>, only if it is that ticket.</summary>
public sealed record CallCommand(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("number"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Number = null);

/// <summary>An operation on the whole queue: reset, or opening the day.</summary>
public sealed record ClinicCommand(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("at")] DateTimeOffset At);
