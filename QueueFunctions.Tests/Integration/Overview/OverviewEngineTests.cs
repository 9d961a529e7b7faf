using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Overview;

/// <summary>The manager's overview over real HTTP, from the app on the real engine and Azurite.</summary>
[Collection(EngineCollection.Name)]
public sealed class OverviewEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Push = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private Task<LocalQueueHost> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: settings);
    }

    private static HttpClient StaffHttp(LocalQueueHost host)
    {
        var http = host.NewHttp();
        http.DefaultRequestHeaders.Add("x-functions-key", QueueAppHost.StaffKey);
        return http;
    }

    private static JsonElement ClinicOf(JsonElement overview, string clinic) =>
        overview.GetProperty("clinics").EnumerateArray().Single(c => c.GetProperty("clinic").GetString() == clinic);

    private static (int Current, int Waiting, int Served) Counts(JsonElement figures) =>
        (figures.GetProperty("current").GetInt32(), figures.GetProperty("waiting").GetInt32(), figures.GetProperty("served_today").GetInt32());

    [Fact]
    public async Task The_snapshot_shows_enters_dones_and_no_shows_of_two_clinics()
    {
        await using var host = await StartAsync();
        using var http = host.NewHttp();
        foreach (var user in new[] { "L1", "L2", "L3" })
        {
            await http.EnterAsync("lab", user);
        }

        await http.EnterAsync("xray", "X1");
        await http.EnterAsync("xray", "X2");
        var pin = (await http.GetJsonAsync("api/v1/pin/status", staff: true)).Body.GetProperty("pins").GetProperty("lab").GetString();
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = "L1", pin })).Status);
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic = "xray" }, staff: true)).Status);

        var (status, overview) = await http.GetJsonAsync("api/v1/overview", staff: true);

        Assert.Equal(200, status);
        // Every clinic of Queue:Clinics, in its order.
        Assert.Equal(QueueFunctions.Configuration.QueueOptions.DefaultClinics.Split(','), overview.GetProperty("clinics").EnumerateArray().Select(c => c.GetProperty("clinic").GetString()));
        Assert.Equal((2, 2, 1), Counts(ClinicOf(overview, "lab")));
        Assert.Equal((2, 1, 0), Counts(ClinicOf(overview, "xray")));
        Assert.Equal((0, 0, 0), Counts(ClinicOf(overview, "eyes")));
        Assert.NotEqual(JsonValueKind.Null, ClinicOf(overview, "lab").GetProperty("last_moved_at").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, ClinicOf(overview, "xray").GetProperty("last_moved_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, ClinicOf(overview, "eyes").GetProperty("last_moved_at").ValueKind);
        var totals = overview.GetProperty("totals");
        Assert.Equal((3, 1, 0), (totals.GetProperty("waiting").GetInt32(), totals.GetProperty("served_today").GetInt32(), totals.GetProperty("stalled_clinics").GetInt32()));
        Assert.Equal(10.0, overview.GetProperty("stalled_after_minutes").GetDouble());
        Assert.Equal("Asia/Qatar", overview.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task The_day_s_average_wait_is_the_daily_report_s_and_the_centre_s_pools_every_wait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(3)));
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), time, new FixedPins(Clinic.Pin));
        using var http = host.NewHttp();
        async Task EnterAsync(string clinic, string user)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(200, (await http.EnterAsync(clinic, user)).Status);
        }

        async Task DoneAfterAsync(int minutes, string clinic, string user)
        {
            time.Advance(TimeSpan.FromMinutes(minutes));
            Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user, pin = Clinic.Pin })).Status);
        }

        // lab: W1 at 08:01 served at once, W2 (08:02) when W1 left at 08:07, W3 (08:03) when W2 left at 08:10: 0, 5, 7.
        await EnterAsync("lab", "W1");
        await EnterAsync("lab", "W2");
        await EnterAsync("lab", "W3");
        await DoneAfterAsync(4, "lab", "W1");
        await DoneAfterAsync(3, "lab", "W2");
        await DoneAfterAsync(5, "lab", "W3");

        // xray: W4 at 08:16 served at once, W5 (08:17) when W4 left at 08:27: 0 and 10.
        await EnterAsync("xray", "W4");
        await EnterAsync("xray", "W5");
        await DoneAfterAsync(10, "xray", "W4");
        await DoneAfterAsync(0, "xray", "W5");

        // The history has every done (a second or so behind the queue) before the overview first reads it.
        await Eventually.UntilAsync(
            () => http.GetJsonAsync("api/v1/reports/daily", staff: true),
            r => r.Body.GetProperty("clinics").EnumerateArray().Sum(c => c.GetProperty("done").GetInt32()) == 5,
            Long,
            "the five dones in the daily report");

        var (_, overview) = await http.GetJsonAsync("api/v1/overview", staff: true);

        Assert.Equal(4.0, ClinicOf(overview, "lab").GetProperty("average_wait_today_minutes").GetDouble());
        Assert.Equal(5.0, ClinicOf(overview, "xray").GetProperty("average_wait_today_minutes").GetDouble());
        Assert.Equal(JsonValueKind.Null, ClinicOf(overview, "eyes").GetProperty("average_wait_today_minutes").ValueKind);
        // (0 + 5 + 7 + 0 + 10) / 5, not the clinics' averages averaged (4.5).
        Assert.Equal(4.4, overview.GetProperty("totals").GetProperty("average_wait_today_minutes").GetDouble());
        Assert.Equal(5, overview.GetProperty("totals").GetProperty("served_today").GetInt32());
    }

    [Fact]
    public async Task Both_routes_refuse_a_request_without_the_key()
    {
        await using var host = await StartAsync();
        using var http = host.NewHttp();

        Assert.Equal(401, (await http.GetJsonAsync("api/v1/overview")).Status);
        Assert.Equal(401, (await http.GetJsonAsync("api/v1/overview/stream")).Status);
        Assert.Equal(401, (await http.GetJsonAsync("api/v1/overview?code=wrong-key")).Status);
    }

    [Fact]
    public async Task The_stream_sends_the_whole_centre_then_a_change_of_another_clinic_within_a_second_and_a_half()
    {
        await using var host = await StartAsync();
        using var staff = StaffHttp(host);
        await using var stream = await SseClient.ConnectAsync(staff, "api/v1/overview/stream");
        await stream.WaitForAsync(e => e.Type == "OVERVIEW", Long, "the overview at connect");

        await staff.EnterAsync("xray", "B1");
        var entered = DateTime.UtcNow;
        var update = await stream.WaitForAsync(
            e => e.Type == "CLINIC_UPDATE" && e.Json.GetProperty("clinic").GetString() == "xray" && e.Json.GetProperty("figures").GetProperty("waiting").GetInt32() == 1,
            Push,
            "xray's update after an enter");

        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("CONNECTED", stream.Events[0].Type);
        Assert.Equal(3000, stream.Events[0].Retry);
        Assert.Equal(1, update.Json.GetProperty("totals").GetProperty("waiting").GetInt32());
        Assert.Equal(1, update.Json.GetProperty("figures").GetProperty("current").GetInt32());
        output.WriteLine($"enter -> overview message: {(update.ReceivedAt - entered).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_clinic_whose_queue_does_not_move_shows_as_stalled_past_the_threshold()
    {
        await using var host = await StartAsync(new() { ["Overview:StalledMinutes"] = "0.1", ["Queue:RefreshSeconds"] = "0.5" });
        using var staff = StaffHttp(host);
        await using var stream = await SseClient.ConnectAsync(staff, "api/v1/overview/stream");
        await stream.WaitForAsync(e => e.Type == "OVERVIEW", Long, "the overview at connect");

        await staff.EnterAsync("eyes", "S1");
        var fresh = await stream.WaitForAsync(e => e.Type == "CLINIC_UPDATE" && e.Json.GetProperty("clinic").GetString() == "eyes", Long, "eyes' update after the enter");
        Assert.False(fresh.Json.GetProperty("figures").GetProperty("stalled").GetBoolean());

        var stalled = await stream.WaitForAsync(
            e => e.Type == "OVERVIEW" && ClinicOf(e.Json, "eyes").GetProperty("stalled").GetBoolean(),
            Long,
            "eyes stalled after 6 s without moving");
        Assert.Equal(1, stalled.Json.GetProperty("totals").GetProperty("stalled_clinics").GetInt32());
        Assert.False(ClinicOf(stalled.Json, "lab").GetProperty("stalled").GetBoolean());

        // Moving the queue ends the alert at once.
        Assert.Equal(200, (await staff.PostAsync("api/v1/queue/call", new { clinic = "eyes" }, staff: true)).Status);
        var moved = await stream.WaitForAsync(e => e.Type == "CLINIC_UPDATE" && e.Json.GetProperty("clinic").GetString() == "eyes" && e.Json.GetProperty("figures").GetProperty("waiting").GetInt32() == 0, Push, "eyes moved");
        Assert.False(moved.Json.GetProperty("figures").GetProperty("stalled").GetBoolean());
    }

    [Fact]
    public async Task An_overview_stream_holds_a_stream_s_place_on_each_clinic()
    {
        await using var host = await StartAsync(new() { ["Limits:StreamsPerClinic"] = "1" });
        using var staff = StaffHttp(host);
        await using var first = await SseClient.ConnectAsync(staff, "api/v1/overview/stream");
        await first.WaitForAsync(e => e.Type == "OVERVIEW", Long, "the first overview");

        var second = await staff.GetJsonAsync("api/v1/overview/stream");
        var board = await staff.GetJsonAsync("api/v1/events/stream?clinic=lab");

        Assert.Equal((429, "RATE_LIMITED"), (second.Status, second.Body.GetProperty("code").GetString()));
        Assert.Equal(429, board.Status);
    }

    [Fact]
    public async Task Fifty_overview_streams_cost_no_more_storage_reads_than_one()
    {
        await using var host = await StartAsync(new() { ["Queue:RefreshSeconds"] = "60" });
        var reader = host.Services.GetRequiredService<ClinicStateReader>();
        using var staff = StaffHttp(host);

        var one = await MeasureAsync(staff, reader, streams: 1, clinic: "lab");
        var fifty = await MeasureAsync(staff, reader, streams: 50, clinic: "xray");

        output.WriteLine($"entity reads in the window: 1 overview {one}, 50 overviews {fifty}");
        Assert.True(fifty <= one * 1.5 + 20, $"50 overviews took {fifty} reads where 1 took {one}");
    }

    /// <summary>Opens the streams, makes 10 changes a third of a second apart, and counts the entity reads meanwhile.</summary>
    private static async Task<long> MeasureAsync(HttpClient http, ClinicStateReader reader, int streams, string clinic)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => SseClient.ConnectAsync(http, "api/v1/overview/stream")));
        try
        {
            foreach (var client in clients)
            {
                await client.WaitForAsync(e => e.Type == "OVERVIEW", Long, "the overview at connection");
            }

            var before = reader.Reads;
            for (var i = 1; i <= 10; i++)
            {
                Assert.Equal(200, (await http.EnterAsync(clinic, $"R{i}")).Status);
                await Task.Delay(TimeSpan.FromMilliseconds(333)); // the pace of the load, not a synchronisation
            }

            foreach (var client in clients)
            {
                await client.WaitForAsync(
                    e => e.Type == "CLINIC_UPDATE" && e.Json.GetProperty("clinic").GetString() == clinic && e.Json.GetProperty("figures").GetProperty("waiting").GetInt32() == 10,
                    Long,
                    "the last change");
            }

            return reader.Reads - before;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
