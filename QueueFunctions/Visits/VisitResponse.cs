using System.Text.Json.Serialization;

namespace QueueFunctions.Visits;

public sealed record VisitStepResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("number")] int? Number);

/// <param name="Ahead">Null when the ticket is no longer waiting (a no-show, or done while the visit moves on).</param>
public sealed record VisitCurrentResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("ahead")] int? Ahead);

/// <param name="ExamName">The exam's Arabic name, for screens.</param>
/// <param name="Existing">Only in the reply to starting a visit: whether it had started before.</param>
/// <param name="Current">The clinic the patient is expected at now; null once the visit has ended.</param>
public sealed record VisitResponse(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("exam")] string Exam,
    [property: JsonPropertyName("examName")] string ExamName,
    [property: JsonPropertyName("gender")] string Gender,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("existing"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Existing,
    [property: JsonPropertyName("steps")] IReadOnlyList<VisitStepResponse> Steps,
    [property: JsonPropertyName("current")] VisitCurrentResponse? Current)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
