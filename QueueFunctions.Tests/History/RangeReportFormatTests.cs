using System.Text;
using System.Text.Json;
using QueueFunctions.Api;
using QueueFunctions.History;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.History;

/// <summary>The range report's JSON field names and its CSV file, with the daily report's columns.</summary>
public class RangeReportFormatTests
{
    private static readonly ClinicDailyFigures Lab = new("lab", "المختبر", 12, 9, 2, 1, 0, 6.3, 14, 4.5, [.. Enumerable.Repeat(0, 7), 5, 7, .. Enumerable.Repeat(0, 15)], [.. Enumerable.Repeat<double?>(null, 24)]);

    private static readonly ClinicDailyFigures Ent = new("ent", "الأنف والأذن والحنجرة", 0, 0, 0, 0, 0, null, null, null, [.. Enumerable.Repeat(0, 24)], [.. Enumerable.Repeat<double?>(null, 24)]);

    private static readonly RangeReportResponse Report = new(
        new DateOnly(2026, 11, 28),
        new DateOnly(2026, 11, 29),
        "Asia/Qatar",
        [new RangeReportDay(new DateOnly(2026, 11, 28), [Lab, Ent]), new RangeReportDay(new DateOnly(2026, 11, 29), [Lab, Ent])],
        [Lab with { Issued = 24 }, Ent]);

    [Fact]
    public void The_json_carries_the_contracts_field_names_in_order_and_each_row_the_daily_reports_fields()
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(Report, ApiResult.Json)).RootElement;

        Assert.Equal(["success", "from", "to", "timezone", "days", "totals"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("2026-11-28", "2026-11-29"), (json.GetProperty("from").GetString(), json.GetProperty("to").GetString()));
        var day = json.GetProperty("days")[1];
        Assert.Equal(["date", "clinics"], day.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-29", day.GetProperty("date").GetString());
        var daily = JsonDocument.Parse(JsonSerializer.Serialize(new DailyReportResponse(Clinic.Today, "Asia/Qatar", [Lab]), ApiResult.Json)).RootElement.GetProperty("clinics")[0];
        Assert.Equal(daily.EnumerateObject().Select(p => p.Name), day.GetProperty("clinics")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(daily.EnumerateObject().Select(p => p.Name), json.GetProperty("totals")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void The_csv_has_the_daily_files_bom_and_header_a_row_per_day_and_clinic_then_the_totals_dated_by_the_range()
    {
        var bytes = RangeReportCsv.Write(Report);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var daily = Encoding.UTF8.GetString(DailyReportCsv.Write(new DailyReportResponse(Clinic.Today, "Asia/Qatar", [Lab]))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(daily[0], lines[0]);
        Assert.Equal(1 + (2 * 2) + 2, lines.Length);
        Assert.Equal(["2026-11-28,lab", "2026-11-28,ent", "2026-11-29,lab", "2026-11-29,ent", "2026-11-28/2026-11-29,lab", "2026-11-28/2026-11-29,ent"], lines[1..].Select(l => string.Join(',', l.Split(',')[..2])));
        Assert.Equal(daily[1], lines[3]);
        Assert.StartsWith("2026-11-28/2026-11-29,lab,المختبر,24,9,", lines[5], StringComparison.Ordinal);
        Assert.All(lines, line => Assert.Equal(35, line.Split(',').Length));
    }

    [Fact]
    public void The_file_is_named_after_the_range()
    {
        Assert.Equal("queue-report-2026-11-01_2026-11-29.csv", RangeReportCsv.FileName(ServiceDayRange.Parse("2026-11-01", "2026-11-29", Clinic.Today)));
    }
}
