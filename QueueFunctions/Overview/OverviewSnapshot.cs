using System.Text.Json.Serialization;

namespace QueueFunctions.Overview;

/// <summary>Every clinic of the centre at one moment: what <c>GET /api/v1/overview</c> answers and the stream repeats.</summary>
/// <param name="StalledAfterMinutes">The alert's threshold, <c>Overview:StalledMinutes</c>.</param>
public record OverviewSnapshot(
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("timezone")] string TimeZone,
    [property: JsonPropertyName("stalled_after_minutes")] double StalledAfterMinutes,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("clinics")] IReadOnlyList<ClinicOverview> Clinics,
    [property: JsonPropertyName("totals")] OverviewTotals Totals);

/// <summary>The reply of <c>GET /api/v1/overview</c>.</summary>
public sealed record OverviewResponse : OverviewSnapshot
{
    public OverviewResponse(OverviewSnapshot snapshot)
        : base(snapshot)
    {
    }

    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
