using System.Globalization;
using CsvHelper;

namespace QueueFunctions.History;

/// <summary>
/// The daily report as a CSV file, one row per clinic. UTF-8 with a byte-order mark: without it, spreadsheets
/// guess a legacy code page and show the Arabic clinic names as mojibake.
/// </summary>
public static class DailyReportCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(DateOnly date) => $"queue-report-{date:yyyy-MM-dd}.csv";

    public static byte[] Write(DailyReportResponse report)
    {
        using var output = new MemoryStream();
        using (var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true }, leaveOpen: true))
        {
            csv.WriteRecord([.. Headers()]);
            foreach (var clinic in report.Clinics)
            {
                csv.WriteField(report.Date, "yyyy-MM-dd");
                csv.WriteField(clinic.Clinic);
                csv.WriteField(clinic.Name);
                csv.WriteField(clinic.Issued, string.Empty);
                csv.WriteField(clinic.Done, string.Empty);
                csv.WriteField(clinic.NoShow, string.Empty);
                csv.WriteField(clinic.StillWaiting, string.Empty);
                csv.WriteField(clinic.ClearedByReset, string.Empty);
                csv.WriteField(clinic.AvgWaitMinutes, string.Empty);
                csv.WriteField(clinic.P90WaitMinutes, string.Empty);
                csv.WriteField(clinic.AvgServiceMinutes, string.Empty);
                foreach (var count in clinic.ArrivalsByHour)
                {
                    csv.WriteField(count, string.Empty);
                }

                csv.EndRecord();
            }
        }

        return output.ToArray();
    }

    private static IEnumerable<string> Headers() =>
        ["date", "clinic", "name", "issued", "done", "noShow", "stillWaiting", "clearedByReset", "avgWaitMinutes", "p90WaitMinutes", "avgServiceMinutes",
            .. Enumerable.Range(0, 24).Select(hour => string.Create(CultureInfo.InvariantCulture, $"arrivals_{hour:D2}"))];
}
