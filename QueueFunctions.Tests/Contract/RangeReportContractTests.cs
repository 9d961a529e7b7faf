using System.Text;
using System.Text.Json;
using QueueFunctions.Api;
using QueueFunctions.History;

namespace QueueFunctions.Tests.Contract;

/// <summary>The document's shapes of the range report hold the app's own replies, and not ones out of order.</summary>
public class RangeReportContractTests
{
    private const string Range = "/api/v1/reports/range";

    private static readonly ClinicDailyFigures Lab = new("lab", "المختبر", 3, 2, 1, 0, 0, 4.5, 9, 6, [.. Enumerable.Repeat(0, 8), 3, .. Enumerable.Repeat(0, 15)], [.. Enumerable.Repeat<double?>(null, 24)]);

    private static readonly RangeReportResponse Report = new(
        new DateOnly(2026, 11, 28),
        new DateOnly(2026, 11, 29),
        "Asia/Qatar",
        [new RangeReportDay(new DateOnly(2026, 11, 28), [Lab]), new RangeReportDay(new DateOnly(2026, 11, 29), [Lab])],
        [Lab with { Issued = 6 }]);

    private static ContractReply Reply(string contentType, byte[] body) =>
        new(200, contentType, new Dictionary<string, string> { ["Cache-Control"] = "no-cache" }, body);

    [Fact]
    public void The_json_reply_validates_and_one_without_its_totals_does_not()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(Report, ApiResult.Json);
        var withoutTotals = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Report, ApiResult.Json).Replace("\"totals\"", "\"total\"", StringComparison.Ordinal));

        Assert.Empty(ReplyValidator.ForContract.Problems("GET", Range, Reply(ApiResult.JsonContentType, json)));
        Assert.NotEmpty(ReplyValidator.ForContract.Problems("GET", Range, Reply(ApiResult.JsonContentType, withoutTotals)));
    }

    [Fact]
    public void The_csv_validates_and_one_with_a_totals_row_among_the_days_does_not()
    {
        var csv = RangeReportCsv.Write(Report);
        var lines = Encoding.UTF8.GetString(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var shuffled = Encoding.UTF8.GetBytes(string.Join("\r\n", [lines[0], lines[3], lines[1], lines[2]]) + "\r\n");

        Assert.Empty(ReplyValidator.ForContract.Problems("GET", Range, Reply(DailyReportCsv.ContentType, csv)));
        Assert.NotEmpty(ReplyValidator.ForContract.Problems("GET", Range, Reply(DailyReportCsv.ContentType, shuffled)));
    }
}
