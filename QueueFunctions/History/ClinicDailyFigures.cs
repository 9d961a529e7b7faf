using System.Text.Json.Serialization;

namespace QueueFunctions.History;

/// <summary>One clinic's figures for one service day, as the daily report gives them.</summary>
/// <param name="StillWaiting">Tickets never finished and not cleared by a reset: waiting at the end of the day (or now, for today).</param>
/// <param name="ClearedByReset">Tickets that were waiting when a <c>reset</c> cleared the queue: abandoned, not waiting.</param>
/// <param name="AvgWaitMinutes">From taking the ticket until it became the number being served; null with no such ticket.</param>
/// <param name="AvgServiceMinutes">From becoming the number being served until DONE; without late patients (done after a
/// no-show), whose examination's start is not recorded.</param>
/// <param name="ArrivalsByHour">Tickets taken in each hour of the clinic's clock, 00 to 23.</param>
/// <param name="AvgWaitByHour">The average wait of the tickets taken in each hour, 00 to 23; null for an hour without one.</param>
public sealed record ClinicDailyFigures(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("issued")] int Issued,
    [property: JsonPropertyName("done")] int Done,
    [property: JsonPropertyName("noShow")] int NoShow,
    [property: JsonPropertyName("stillWaiting")] int StillWaiting,
    [property: JsonPropertyName("clearedByReset")] int ClearedByReset,
    [property: JsonPropertyName("avgWaitMinutes")] double? AvgWaitMinutes,
    [property: JsonPropertyName("p90WaitMinutes")] double? P90WaitMinutes,
    [property: JsonPropertyName("avgServiceMinutes")] double? AvgServiceMinutes,
    [property: JsonPropertyName("arrivalsByHour")] IReadOnlyList<int> ArrivalsByHour,
    [property: JsonPropertyName("avgWaitByHour")] IReadOnlyList<double?>? AvgWaitByHour = null);
