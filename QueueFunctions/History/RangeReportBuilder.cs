namespace QueueFunctions.History;

/// <summary>Turns the history of a range of service days into the range report: each day as its daily report, then the totals.</summary>
public static class RangeReportBuilder
{
    /// <param name="listed">From <see cref="ReportClinics.Listed"/>: the clinics every day lists, or null for those each day has history of.</param>
    /// <param name="history">Each day's history per clinic; a day missing from it has none.</param>
    /// <param name="timeZoneName">The clinics' time zone as the reply names it.</param>
    public static RangeReportResponse Build(
        ServiceDayRange range,
        IReadOnlyList<string>? listed,
        IReadOnlyDictionary<DateOnly, IReadOnlyDictionary<string, ClinicDayHistory>> history,
        TimeZoneInfo timeZone,
        string timeZoneName)
    {
        var days = range.Days
            .Select(day => (Day: day, Clinics: ReportClinics.MeasureDay(listed, history.GetValueOrDefault(day) ?? NoHistory, timeZone)))
            .ToList();

        // Without a configured list, a clinic has totals when any day of the range lists it.
        var totalled = listed ?? days.SelectMany(d => d.Clinics).Select(c => c.Clinic).Distinct().Order(StringComparer.Ordinal).ToList();
        var totals = totalled
            .Select(clinic => RangeTotals.Pool(clinic, days.SelectMany(d => d.Clinics).Where(c => c.Clinic == clinic)).ToFigures())
            .ToList();

        return new RangeReportResponse(
            range.From,
            range.To,
            timeZoneName,
            days.Select(d => new RangeReportDay(d.Day, d.Clinics.Select(c => c.ToFigures()).ToList())).ToList(),
            totals);
    }

    private static readonly IReadOnlyDictionary<string, ClinicDayHistory> NoHistory = new Dictionary<string, ClinicDayHistory>();
}
