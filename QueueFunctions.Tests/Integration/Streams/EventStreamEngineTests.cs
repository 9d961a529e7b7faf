using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Streams;

/// <summary>The event stream over real HTTP, from the app on the real engine.</summary>
[Collection(EngineCollection.Name)]
public sealed partial class EventStreamEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Push = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [GeneratedRegex("\"timestamp\":\"[^\"]+\"")]
    private static partial Regex Timestamp();

    private Task<LocalQueueHost> StartAsync(double heartbeatSeconds = 15, double refreshSeconds = 5, double streamMinutes = 5) =>
        azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?>
        {
            ["Queue:HeartbeatSeconds"] = heartbeatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Queue:RefreshSeconds"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Queue:StreamMinutes"] = streamMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    [Fact]
    public async Task The_wire_format_is_exact_and_the_server_closes_the_stream_on_time()
    {
        await using var host = await StartAsync(heartbeatSeconds: 0.4, refreshSeconds: 60, streamMinutes: 0.02);
        using var http = host.NewHttp();
        await http.EnterAsync("lab", "A");
        var version = (await host.StoredStateAsync("lab"))!.Version;

        var clock = Stopwatch.StartNew();
        await using var stream = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab");
        await stream.Ended.WaitAsync(Long);
        clock.Stop();

        Assert.Equal(200, (int)stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(stream.Response.Headers.CacheControl?.NoCache);
        Assert.Equal("no", Assert.Single(stream.Response.Headers.GetValues("X-Accel-Buffering")));
        var text = Timestamp().Replace(stream.Raw, "\"timestamp\":\"T\"");
        var expectedStart =
            "retry: 3000\ndata: {\"type\":\"CONNECTED\",\"clinic\":\"lab\",\"user\":null,\"timestamp\":\"T\"}\n\n" +
            $"id: {version}\ndata: {{\"type\":\"QUEUE_UPDATE\",\"clinic\":\"lab\",\"current\":1,\"length\":1,\"waiting\":1,\"timestamp\":\"T\"}}\n\n" +
            ": heartbeat\n\n";
        Assert.True(text.StartsWith(expectedStart, StringComparison.Ordinal), text);
        Assert.Matches("^(: heartbeat\n\n)+$", text[expectedStart.Length..] is { Length: > 0 } rest ? rest : ": heartbeat\n\n");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(15));
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?\\+03:00$", stream.Events[0].Json.GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task Enter_call_and_done_reach_the_board_and_the_patient_within_a_second_and_a_half()
    {
        await using var host = await StartAsync();
        using var http = host.NewHttp();
        await using var board = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab");
        await using var patient = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab&user=TEST_2");
        await patient.WaitForAsync(e => e.Type == "NOT_IN_QUEUE", Long, "NOT_IN_QUEUE before any ticket");

        await http.EnterAsync("lab", "TEST_1");
        var entered = DateTime.UtcNow;
        var update = await board.WaitForAsync(e => e.Type == "QUEUE_UPDATE" && e.Json.GetProperty("length").GetInt32() == 1, Push, "the board's update after an enter");
        await http.EnterAsync("lab", "TEST_2");
        var near = await patient.WaitForAsync(e => e.Type == "NEAR_TURN", Push, "NEAR_TURN after the patient's enter");
        Assert.Equal((2, 1, 1), (near.Json.GetProperty("number").GetInt32(), near.Json.GetProperty("current").GetInt32(), near.Json.GetProperty("ahead").GetInt32()));

        var called = await http.PostAsync("api/v1/queue/call", new { clinic = "lab" }, staff: true);
        Assert.Equal(200, called.Status);
        var turn = await patient.WaitForAsync(e => e.Type == "YOUR_TURN", Push, "YOUR_TURN after the call");
        await board.WaitForAsync(e => e.Type == "QUEUE_UPDATE" && e.Json.GetProperty("current").GetInt32() == 2, Push, "the board's update after the call");

        var pin = (await http.GetJsonAsync("api/v1/pin/status", staff: true)).Body.GetProperty("pins").GetProperty("lab").GetString();
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = "TEST_2", pin })).Status);
        var done = await patient.WaitForAsync(e => e.Type == "STEP_DONE_NEXT", Push, "STEP_DONE_NEXT after done");
        await board.WaitForAsync(e => e.Type == "QUEUE_UPDATE" && e.Json.GetProperty("waiting").GetInt32() == 0, Push, "the board's update after done");

        Assert.Equal("DONE", done.Json.GetProperty("status").GetString());
        Assert.True(long.Parse(done.Id!) > long.Parse(turn.Id!) && long.Parse(turn.Id!) > long.Parse(update.Id!), "ids are growing versions");
        output.WriteLine($"enter -> board message: {(update.ReceivedAt - entered).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_reconnect_with_last_event_id_gets_the_current_state_first()
    {
        await using var host = await StartAsync();
        using var http = host.NewHttp();
        await using (var first = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab&user=TEST_3"))
        {
            await first.WaitForAsync(e => e.Type == "NOT_IN_QUEUE", Long, "the first state");
        }

        foreach (var user in new[] { "TEST_1", "TEST_2", "TEST_3" })
        {
            await http.EnterAsync("lab", user);
        }

        var version = (await host.StoredStateAsync("lab"))!.Version;
        await using var again = await SseClient.ConnectAsync(http, "api/v1/events/stream?clinic=lab&user=TEST_3", lastEventId: "1");
        await again.WaitForAsync(e => e.Data is not null && e.Type != "CONNECTED", Long, "the state after reconnecting");

        var events = again.Events;
        Assert.Equal("CONNECTED", events[0].Type);
        Assert.Equal(3000, events[0].Retry);
        Assert.Equal(("NEAR_TURN", version.ToString(System.Globalization.CultureInfo.InvariantCulture), 2), (events[1].Type, events[1].Id, events[1].Json.GetProperty("ahead").GetInt32()));
    }

    [Fact]
    public async Task A_bad_request_is_a_json_error_not_a_stream()
    {
        await using var host = await StartAsync();
        using var http = host.NewHttp();

        var missing = await http.GetJsonAsync("api/v1/events/stream");
        var unknown = await http.GetJsonAsync("api/v1/events/stream?clinic=cardio");

        Assert.Equal((400, "MISSING_FIELD"), (missing.Status, missing.Body.GetProperty("code").GetString()));
        Assert.Equal((404, "UNKNOWN_CLINIC"), (unknown.Status, unknown.Body.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Five_hundred_streams_cost_no_more_reads_than_one_and_each_gets_every_change()
    {
        await using var host = await StartAsync(heartbeatSeconds: 15, refreshSeconds: 60);
        var reader = host.Services.GetRequiredService<ClinicStateReader>();
        using var http = host.NewHttp();

        var oneStream = await MeasureAsync(http, reader, streams: 1, clinic: "lab");
        var manyStreams = await MeasureAsync(http, reader, streams: 500, clinic: "xray");

        output.WriteLine($"entity reads in the window: 1 stream {oneStream}, 500 streams {manyStreams}");
        Assert.True(manyStreams <= oneStream * 1.5 + 10, $"500 streams took {manyStreams} reads where 1 stream took {oneStream}");

        // Closed clients free their places at once, and the watcher stops reading.
        var watcher = host.Services.GetRequiredService<QueueFunctions.Queueing.ClinicWatchers>().For("xray");
        await Eventually.TrueAsync(() => watcher.Listeners == 0 && !watcher.IsRunning, Long, "the 500 streams' places to be freed");
    }

    /// <summary>Opens the streams, makes 10 changes a third of a second apart, and counts the entity reads meanwhile.</summary>
    private static async Task<long> MeasureAsync(HttpClient http, ClinicStateReader reader, int streams, string clinic)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => SseClient.ConnectAsync(http, $"api/v1/events/stream?clinic={clinic}")));
        try
        {
            foreach (var client in clients)
            {
                await client.WaitForAsync(e => e.Type == "QUEUE_UPDATE", Long, "the state at connection");
            }

            var before = reader.Reads;
            var versions = new List<string>();
            for (var i = 1; i <= 10; i++)
            {
                Assert.Equal(200, (await http.EnterAsync(clinic, $"R{i}")).Status);
                await Task.Delay(TimeSpan.FromMilliseconds(333)); // the pace of the load, not a synchronisation
            }

            foreach (var client in clients)
            {
                await client.WaitForAsync(e => e.Type == "QUEUE_UPDATE" && e.Json.GetProperty("length").GetInt32() == 10, Long, "the last change");
            }

            var reads = reader.Reads - before;
            foreach (var client in clients)
            {
                var lengths = client.Events.Where(e => e.Type == "QUEUE_UPDATE").Select(e => e.Json.GetProperty("length").GetInt32()).Distinct().ToList();
                Assert.Equal(Enumerable.Range(0, 11), lengths);
            }

            return reads;
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
