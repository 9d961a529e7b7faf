using QueueFunctions.Api;
using QueueFunctions.Configuration;

namespace QueueFunctions.History;

/// <summary>Which clinics a report lists, and their measures of one service day: the daily and range reports share both.</summary>
public static class ReportClinics
{
    /// <param name="clinic">The one clinic asked for, if any (already resolved).</param>
    /// <returns>
    /// The clinics a report lists on every day, in the order of <c>Queue:Clinics</c>: the one asked for, else every
    /// configured clinic. Null when the setting lists none: then any id is a clinic, and a day lists those it has
    /// history of.
    /// </returns>
    public static IReadOnlyList<string>? Listed(string? clinic, ClinicDirectory directory, QueueOptions options) =>
        clinic is not null ? [clinic]
        : directory.IsRestricted ? options.ClinicList()
        : null;

    /// <param name="listed">From <see cref="Listed"/>; null lists the clinics the day has history of, by id.</param>
    public static IReadOnlyList<ClinicDayMeasures> MeasureDay(
        IReadOnlyList<string>? listed, IReadOnlyDictionary<string, ClinicDayHistory> day, TimeZoneInfo timeZone) =>
        (listed ?? day.Keys.Order(StringComparer.Ordinal).ToList())
            .Select(id => day.GetValueOrDefault(id) is { } history
                ? DailyFiguresCalculator.Measure(id, history.Tickets, timeZone, history.ResetRounds)
                : ClinicDayMeasures.None(id))
            .ToList();
}
