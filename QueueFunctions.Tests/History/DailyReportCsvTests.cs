using System.Text;
using QueueFunctions.History;

namespace QueueFunctions.Tests.History;

public class DailyReportCsvTests
{
    private static readonly DailyReportResponse Report = new(
        new DateOnly(2026, 11, 29),
        "Asia/Qatar",
        [
            new ClinicDailyFigures("lab", "المختبر", 12, 9, 2, 1, 3, 6.3, 14, 4.5, [.. Enumerable.Repeat(0, 7), 5, 7, .. Enumerable.Repeat(0, 15)]),
            new ClinicDailyFigures("ent", "الأنف والأذن والحنجرة", 0, 0, 0, 0, 0, null, null, null, [.. Enumerable.Repeat(0, 24)]),
        ]);

    [Fact]
    public void Starts_with_a_byte_order_mark_so_spreadsheets_read_the_Arabic_names_as_UTF8()
    {
        var bytes = DailyReportCsv.Write(Report);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains("المختبر", Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public void Has_a_header_and_one_row_per_clinic_with_the_json_figures()
    {
        var lines = Encoding.UTF8.GetString(DailyReportCsv.Write(Report)[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("date,clinic,name,issued,done,noShow,stillWaiting,clearedByReset,avgWaitMinutes,p90WaitMinutes,avgServiceMinutes,arrivals_00,", lines[0]);
        Assert.EndsWith(",arrivals_23", lines[0]);
        Assert.Equal("2026-11-29,lab,المختبر,12,9,2,1,3,6.3,14,4.5,0,0,0,0,0,0,0,5,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", lines[1]);
        Assert.Equal("2026-11-29,ent,الأنف والأذن والحنجرة,0,0,0,0,0,,,," + string.Join(',', Enumerable.Repeat(0, 24)), lines[2]);
        Assert.All(lines, line => Assert.Equal(35, line.Split(',').Length));
    }
}
