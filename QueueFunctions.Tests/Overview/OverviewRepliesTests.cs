using System.Text.Json;
using QueueFunctions.Api;
using QueueFunctions.Overview;

namespace QueueFunctions.Tests.Overview;

/// <summary>The exact field names the page and the contract read.</summary>
public class OverviewRepliesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 8, 30, 0, TimeSpan.FromHours(3));

    private static readonly ClinicOverview Lab = new("lab", 3, 4, 600, 2.5, 10, 1, At, At, true);

    private static readonly OverviewTotals Totals = new(4, 600, 2.5, 10, 1, 1);

    private static readonly OverviewSnapshot Snapshot = new(new DateOnly(2026, 11, 29), "Asia/Qatar", 10, At, [Lab], Totals);

    private static JsonElement Json(object reply) => JsonDocument.Parse(JsonSerializer.Serialize(reply, reply.GetType(), ApiResult.Json)).RootElement;

    private static List<string> Fields(JsonElement json) => json.EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public void The_snapshot_reply_names_every_field()
    {
        var json = Json(new OverviewResponse(Snapshot));

        Assert.Equal(["success", "serviceDay", "timezone", "stalled_after_minutes", "timestamp", "clinics", "totals"], Fields(json));
        Assert.Equal("2026-11-29", json.GetProperty("serviceDay").GetString());
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal(
            ["clinic", "current", "waiting", "longest_wait_seconds", "average_wait_today_minutes", "served_today", "visits_in_progress", "last_moved_at", "quiet_since", "stalled"],
            Fields(json.GetProperty("clinics")[0]));
        Assert.Equal("2026-11-29T08:30:00+03:00", json.GetProperty("clinics")[0].GetProperty("last_moved_at").GetString());
        Assert.Equal(
            ["waiting", "longest_wait_seconds", "average_wait_today_minutes", "served_today", "visits_in_progress", "stalled_clinics"],
            Fields(json.GetProperty("totals")));
    }

    [Fact]
    public void Unknown_figures_are_null_not_left_out()
    {
        var json = Json(new ClinicOverview("eyes", 0, 0, 0, null, 0, 0, null, null, false));

        Assert.Equal(JsonValueKind.Null, json.GetProperty("average_wait_today_minutes").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("last_moved_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("quiet_since").ValueKind);
    }

    [Fact]
    public void The_stream_messages_name_their_type_first()
    {
        Assert.Equal(["type", "clinics", "timestamp"], Fields(Json(new OverviewConnectedMessage(["lab"], At))));
        Assert.Equal(["type", "serviceDay", "timezone", "stalled_after_minutes", "timestamp", "clinics", "totals"], Fields(Json(new OverviewMessage(Snapshot))));
        var update = Json(new ClinicUpdateMessage("lab", Lab, Totals, At));
        Assert.Equal(["type", "clinic", "figures", "totals", "timestamp"], Fields(update));
        Assert.Equal("CLINIC_UPDATE", update.GetProperty("type").GetString());
    }
}
