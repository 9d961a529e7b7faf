using System.Text.Json;
using QueueFunctions.Api;
using QueueFunctions.History;

namespace QueueFunctions.Tests.History;

public class DailyReportJsonTests
{
    [Fact]
    public void A_clinics_figures_carry_the_contracts_field_names_in_order()
    {
        var report = new DailyReportResponse(
            new DateOnly(2026, 11, 29),
            "Asia/Qatar",
            [new ClinicDailyFigures("lab", "المختبر", 12, 9, 2, 1, 3, 6.3, 14, 4.5, [.. Enumerable.Repeat(0, 24)])]);

        var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ApiResult.Json)).RootElement;
        var clinic = json.GetProperty("clinics")[0];

        Assert.Equal(["success", "date", "timezone", "clinics"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["clinic", "name", "issued", "done", "noShow", "stillWaiting", "clearedByReset", "avgWaitMinutes", "p90WaitMinutes", "avgServiceMinutes", "arrivalsByHour", "avgWaitByHour"],
            clinic.EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, 3), (clinic.GetProperty("stillWaiting").GetInt32(), clinic.GetProperty("clearedByReset").GetInt32()));
    }
}
