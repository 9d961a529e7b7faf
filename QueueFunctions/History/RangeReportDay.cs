using System.Text.Json.Serialization;

namespace QueueFunctions.History;

/// <summary>One service day of a range report: the clinics the daily report of that day lists, with its figures.</summary>
public sealed record RangeReportDay(
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("clinics")] IReadOnlyList<ClinicDailyFigures> Clinics);
