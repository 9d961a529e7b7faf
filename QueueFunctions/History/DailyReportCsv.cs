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
        using (var csv = Open(output))
        {
            foreach (var clinic in report.Clinics)
            {
                WriteRow(csv, DateField(report.Date), clinic);
            }
        }

        return output.ToArray();
    }

    /// <summary>A writer with the byte-order mark and the header row already written; the range report's file has the same.</summary>
    public static CsvWriter Open(Stream output)
    {
        var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true }, leaveOpen: true);
        csv.WriteRecord([.. Headers()]);
        return csv;
    }

    public static string DateField(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <param name="date">The service day, or the period the figures cover.</param>
    public static void WriteRow(CsvWriter csv, string date, ClinicDailyFigures clinic)
    {
        csv.WriteField(date);
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

    private static IEnumerable<string> Headers() =>
        ["date", "clinic", "name", "issued", "done", "noShow", "stillWaiting", "clearedByReset", "avgWaitMinutes", "p90WaitMinutes", "avgServiceMinutes",
            .. Enumerable.Range(0, 24).Select(hour => string.Create(CultureInfo.InvariantCulture, $"arrivals_{hour:D2}"))];
}
