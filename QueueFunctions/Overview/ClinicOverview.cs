using System.Text.Json.Serialization;

namespace QueueFunctions.Overview;

/// <summary>One clinic as the manager's overview shows it. Times are in clinic time, as everywhere in the API.</summary>
/// <param name="LongestWaitSeconds">How long the earliest ticket still waiting (the one being served included) has waited; 0 when nobody waits.</param>
/// <param name="AverageWaitTodayMinutes">The day's average wait from taking a ticket until it became current, from the day's history; null before any.</param>
/// <param name="ServedToday">Tickets done since the service day began or since its last reset.</param>
/// <param name="VisitsInProgress">Waiting tickets here that are a step of a patient's visit.</param>
/// <param name="LastMovedAt">When the queue last moved (a done or a no-show) since the day began or its last reset; null if it has not.</param>
/// <param name="QuietSince">While people wait: since when the queue has not moved for them. Null when nobody waits.</param>
public sealed record ClinicOverview(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("waiting")] int Waiting,
    [property: JsonPropertyName("longest_wait_seconds")] int LongestWaitSeconds,
    [property: JsonPropertyName("average_wait_today_minutes")] double? AverageWaitTodayMinutes,
    [property: JsonPropertyName("served_today")] int ServedToday,
    [property: JsonPropertyName("visits_in_progress")] int VisitsInProgress,
    [property: JsonPropertyName("last_moved_at")] DateTimeOffset? LastMovedAt,
    [property: JsonPropertyName("quiet_since")] DateTimeOffset? QuietSince,
    [property: JsonPropertyName("stalled")] bool Stalled);
