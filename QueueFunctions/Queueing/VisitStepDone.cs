using System.Text.Json.Serialization;

namespace QueueFunctions.Queueing;

/// <summary>What a clinic tells a visit when the visit's ticket there turns DONE.</summary>
public sealed record VisitStepDone(
    [property: JsonPropertyName("visit")] string Visit,
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("at")] DateTimeOffset At);
