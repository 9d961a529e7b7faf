using System.Text.Json.Serialization;

namespace QueueFunctions.History;

/// <summary>The range report: each service day's figures, as the daily report gives them, and each clinic's totals.</summary>
/// <param name="Totals">One row per clinic over the whole range (<see cref="RangeTotals"/>), with the fields of a day's row.</param>
public sealed record RangeReportResponse(
    [property: JsonPropertyName("from")] DateOnly From,
    [property: JsonPropertyName("to")] DateOnly To,
    [property: JsonPropertyName("timezone")] string TimeZone,
    [property: JsonPropertyName("days")] IReadOnlyList<RangeReportDay> Days,
    [property: JsonPropertyName("totals")] IReadOnlyList<ClinicDailyFigures> Totals)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
