using System.Text.Json.Serialization;

namespace QueueFunctions.Overview;

/// <summary>The whole centre: each figure over every clinic of the overview.</summary>
/// <param name="AverageWaitTodayMinutes">Every wait of the day pooled (a clinic with 200 waits counts 200 times one with a single wait).</param>
/// <param name="VisitsInProgress">Patients on a visit waiting in some queue: a visit holds one waiting ticket at a time, so none is counted twice.</param>
public sealed record OverviewTotals(
    [property: JsonPropertyName("waiting")] int Waiting,
    [property: JsonPropertyName("longest_wait_seconds")] int LongestWaitSeconds,
    [property: JsonPropertyName("average_wait_today_minutes")] double? AverageWaitTodayMinutes,
    [property: JsonPropertyName("served_today")] int ServedToday,
    [property: JsonPropertyName("visits_in_progress")] int VisitsInProgress,
    [property: JsonPropertyName("stalled_clinics")] int StalledClinics);
