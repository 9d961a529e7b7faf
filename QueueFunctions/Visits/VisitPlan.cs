using System.Text.Json.Serialization;

namespace QueueFunctions.Visits;

/// <summary>
/// Everything a visit's orchestration needs, fixed when the visit starts, so the orchestration reads no settings and
/// replays the same way after a change of configuration.
/// </summary>
/// <param name="Clinics">The visit's clinics in the exam table's order, women's clinics substituted.</param>
/// <param name="FixedOrder">Those of <paramref name="Clinics"/> that come first, in their fixed order.</param>
/// <param name="StartedAt">The app's clock when the visit started; the orchestration measures its own time from here.</param>
/// <param name="ClosesAt">When the service day ends: a visit still open then is closed.</param>
public sealed record VisitPlan(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("exam")] string Exam,
    [property: JsonPropertyName("gender")] string Gender,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("clinics")] IReadOnlyList<string> Clinics,
    [property: JsonPropertyName("fixedOrder")] IReadOnlyList<string> FixedOrder,
    [property: JsonPropertyName("startedAt")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("closesAt")] DateTimeOffset ClosesAt);
