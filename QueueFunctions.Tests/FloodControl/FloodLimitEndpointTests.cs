using QueueFunctions.Configuration;
using QueueFunctions.Streams;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.FloodControl;

/// <summary>The flood limits as the functions apply them: the contract's 429 with Retry-After, and nothing changed.</summary>
public class FloodLimitEndpointTests
{
    private readonly QueueApi api = new(new QueueBackend(new QueueOptions(), new FloodLimitOptions { EnterBurst = 3, EnterPerSecond = 1, DoneBurst = 2, DonePerSecond = 1, StreamsPerClinic = 1 }));

    [Fact]
    public async Task An_enter_past_the_clinics_burst_is_429_rate_limited_with_retry_after_and_signals_nothing()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await api.EnterAsync("lab", $"P{i}")).Status);
        }

        var signals = api.Backend.Signals.Count;
        var before = api.Backend.StateOf("lab");

        var refused = await api.EnterAsync("lab", "P3");

        refused.AssertError(429, "RATE_LIMITED");
        Assert.Equal("1", refused.Headers.RetryAfter.ToString());
        Assert.Equal(signals, api.Backend.Signals.Count);
        Assert.Same(before, api.Backend.StateOf("lab"));
        Assert.Equal(200, (await api.EnterAsync("xray", "P3")).Status);
    }

    [Fact]
    public async Task An_invalid_enter_is_refused_for_what_it_is_and_spends_nothing()
    {
        for (var i = 0; i < 10; i++)
        {
            (await api.EnterAsync(Http.Post("{\"clinic\":\"lab\"}"))).AssertError(400, "MISSING_FIELD");
        }

        Assert.Equal(200, (await api.EnterAsync("lab", "P0")).Status);
    }

    [Fact]
    public async Task A_done_past_the_clinics_burst_is_429_rate_limited_and_the_pin_is_not_even_tried()
    {
        await api.EnterAsync("lab", "A");
        (await api.DoneAsync("lab", "A", "0000")).AssertError(403, "INVALID_PIN");
        (await api.DoneAsync("lab", "A", "0000")).AssertError(403, "INVALID_PIN");
        var signals = api.Backend.Signals.Count;
        var before = api.Backend.StateOf("lab");

        var refused = await api.DoneAsync("lab", "A", Clinic.Pin);

        refused.AssertError(429, "RATE_LIMITED");
        Assert.True(int.Parse(refused.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(signals, api.Backend.Signals.Count);
        Assert.Same(before, api.Backend.StateOf("lab"));
        Assert.Equal(QueueFunctions.Domain.TicketStatus.Waiting, api.Backend.StateOf("lab").Tickets.Single().Status);
    }

    [Fact]
    public async Task A_stream_over_the_clinics_limit_is_429_json_not_a_stream_and_its_place_comes_back_when_the_first_ends()
    {
        var backend = api.Backend;
        var function = new EventStreamFunction(backend.Directory, backend.Queue, backend.Watchers, backend.Visits, backend.Options, new ShiftedClock(Clinic.Morning), backend.Limits);
        var open = Http.Get("?clinic=lab");
        var capture = new SseCapture(open.HttpContext);
        using var stop = new CancellationTokenSource();
        var streaming = function.RunAsync(open, backend.Client.Object, stop.Token);
        await capture.WaitForAsync(t => t.Contains("QUEUE_UPDATE"), "the first stream's state");

        var refused = await Http.SendAsync(await function.RunAsync(Http.Get("?clinic=lab"), backend.Client.Object, CancellationToken.None));

        refused.AssertError(429, "RATE_LIMITED");
        Assert.Equal("5", refused.Headers.RetryAfter.ToString());
        Assert.Equal(1, backend.Watchers.For("lab").Listeners);

        await stop.CancelAsync();
        await streaming;
        var again = Http.Get("?clinic=lab");
        var second = new SseCapture(again.HttpContext);
        using var stopSecond = new CancellationTokenSource();
        var reopened = function.RunAsync(again, backend.Client.Object, stopSecond.Token);
        await second.WaitForAsync(t => t.Contains("QUEUE_UPDATE"), "the place freed by the first stream");
        await stopSecond.CancelAsync();
        await reopened;
    }
}
