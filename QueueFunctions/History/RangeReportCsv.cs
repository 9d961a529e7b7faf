using System.Globalization;

namespace QueueFunctions.History;

/// <summary>
/// The range report as a CSV file: the daily report's columns, one row per day and clinic, then one totals row per
/// clinic, whose <c>date</c> is the range as an ISO 8601 interval (<c>2026-11-01/2026-11-30</c>), so a sheet built for
/// the daily file reads this one and a filter on <c>date</c> tells the totals from the days.
/// </summary>
public static class RangeReportCsv
{
    public static string FileName(ServiceDayRange range) =>
        string.Create(CultureInfo.InvariantCulture, $"queue-report-{range.From:yyyy-MM-dd}_{range.To:yyyy-MM-dd}.csv");

    public static string TotalsPeriod(DateOnly from, DateOnly to) => string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd}/{to:yyyy-MM-dd}");

    public static byte[] Write(RangeReportResponse report)
    {
        using var output = new MemoryStream();
        using (var csv = DailyReportCsv.Open(output))
        {
            foreach (var day in report.Days)
            {
                foreach (var clinic in day.Clinics)
                {
                    DailyReportCsv.WriteRow(csv, DailyReportCsv.DateField(day.Date), clinic);
                }
            }

            var period = TotalsPeriod(report.From, report.To);
            foreach (var clinic in report.Totals)
            {
                DailyReportCsv.WriteRow(csv, period, clinic);
            }
        }

        return output.ToArray();
    }
}
