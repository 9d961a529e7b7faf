using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using QueueFunctions.Configuration;
using QueueFunctions.Streams;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Streams;

public partial class EventStreamFunctionTests
{
    private readonly QueueBackend backend = new(new QueueOptions { HeartbeatSeconds = 0.2, RefreshSeconds = 60, StreamMinutes = 0.02 });

    private EventStreamFunction Function => new(backend.Directory, backend.Queue, backend.Watchers, backend.Visits, backend.Options, new ShiftedClock(Clinic.Morning), backend.Limits);

    [GeneratedRegex("\"timestamp\":\"[^\"]+\"")]
    private static partial Regex Timestamp();

    [Theory]
    [InlineData("", 400, "MISSING_FIELD")]
    [InlineData("?clinic=x%20ray", 400, "INVALID_CLINIC")]
    [InlineData("?clinic=cardio", 404, "UNKNOWN_CLINIC")]
    [InlineData("?clinic=lab&user=%0A", 400, "INVALID_USER")]
    public async Task A_bad_request_gets_a_json_error_not_a_stream(string query, int status, string code)
    {
        var result = await Function.RunAsync(Http.Get(query), backend.Client.Object, CancellationToken.None);

        (await Http.SendAsync(result)).AssertError(status, code);
        Assert.Equal(0, backend.Watchers.For("lab").Listeners);
    }

    [Fact]
    public async Task The_board_stream_starts_with_connected_and_the_current_state_then_beats_and_ends()
    {
        var api = new QueueApi(backend);
        await api.EnterAsync("lab", "A");
        var request = Http.Get("?clinic=lab");
        var capture = new SseCapture(request.HttpContext);

        var result = await Function.RunAsync(request, backend.Client.Object, CancellationToken.None);
        await capture.CompleteAsync();

        Assert.IsType<EmptyResult>(result);
        Assert.Equal("text/event-stream", request.HttpContext.Response.ContentType);
        Assert.Equal("no-cache", request.HttpContext.Response.Headers.CacheControl.ToString());
        Assert.Equal("no", request.HttpContext.Response.Headers["X-Accel-Buffering"].ToString());
        var text = Timestamp().Replace(capture.Text, "\"timestamp\":\"T\"");
        Assert.True(text.StartsWith(
            "retry: 3000\ndata: {\"type\":\"CONNECTED\",\"clinic\":\"lab\",\"user\":null,\"timestamp\":\"T\"}\n\n" +
            "id: 2\ndata: {\"type\":\"QUEUE_UPDATE\",\"clinic\":\"lab\",\"current\":1,\"length\":1,\"waiting\":1,\"timestamp\":\"T\"}\n\n" +
            ": heartbeat\n\n", StringComparison.Ordinal),
            text);
        Assert.EndsWith("\n\n", text);
        Assert.Equal(0, backend.Watchers.For("lab").Listeners);
    }

    [Fact]
    public async Task A_change_is_pushed_to_an_open_stream()
    {
        var api = new QueueApi(new QueueBackend(new QueueOptions { StreamMinutes = 1 }));
        var request = Http.Get("?clinic=lab&user=B");
        var capture = new SseCapture(request.HttpContext);
        using var stop = new CancellationTokenSource();
        var function = new EventStreamFunction(api.Backend.Directory, api.Backend.Queue, api.Backend.Watchers, api.Backend.Visits, api.Backend.Options, new ShiftedClock(Clinic.Morning), api.Backend.Limits);
        var streaming = function.RunAsync(request, api.Backend.Client.Object, stop.Token);
        await capture.WaitForAsync(t => t.Contains("NOT_IN_QUEUE"), "the user's state at once");

        await api.EnterAsync("lab", "A");
        await api.EnterAsync("lab", "B");
        await capture.WaitForAsync(t => t.Contains("\"type\":\"NEAR_TURN\""), "B is one behind A");
        await api.CallAsync("lab");
        await capture.WaitForAsync(t => t.Contains("\"type\":\"YOUR_TURN\""), "A was skipped, so it is B's turn");

        stop.Cancel();
        Assert.IsType<EmptyResult>(await streaming.WaitAsync(TimeSpan.FromSeconds(10)));
        await capture.CompleteAsync();
        var last = capture.Blocks.Last(b => b.Contains("YOUR_TURN"));
        var data = JsonDocument.Parse(last.Split("data: ")[1]).RootElement;
        Assert.Equal(["type", "clinic", "user", "number", "current", "ahead", "status", "timestamp"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2, 2, 0, "WAITING"), (data.GetProperty("number").GetInt32(), data.GetProperty("current").GetInt32(), data.GetProperty("ahead").GetInt32(), data.GetProperty("status").GetString()));
        Assert.Matches("^id: \\d+\ndata: ", last);
        Assert.Equal(0, api.Backend.Watchers.For("lab").Listeners);
    }
}
