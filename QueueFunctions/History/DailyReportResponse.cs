using System.Text.Json.Serialization;

namespace QueueFunctions.History;

public sealed record DailyReportResponse(
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("timezone")] string TimeZone,
    [property: JsonPropertyName("clinics")] IReadOnlyList<ClinicDailyFigures> Clinics)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
