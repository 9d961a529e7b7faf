using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using QueueFunctions.Api;

namespace QueueFunctions.Streams;

/// <summary>
/// Writes Server-Sent Events and flushes each one, so it leaves the server at once. Messages are
/// unnamed (<c>data:</c> only) so that <c>EventSource.onmessage</c> receives them.
/// </summary>
public sealed class EventStreamWriter(Stream body)
{
    // A board's stream writes the events of several clinics; one event must never interleave with another.
    private readonly SemaphoreSlim gate = new(1, 1);

    public const string ContentType = "text/event-stream";

    /// <summary>How long a browser waits before reconnecting a dropped stream.</summary>
    public const int RetryMilliseconds = 3000;

    /// <summary>
    /// Starts <paramref name="response"/> as an event stream: not cached, and not held back by the host or a proxy in
    /// front of it (<c>X-Accel-Buffering</c>), so each event reaches the browser as it is written.
    /// </summary>
    public static EventStreamWriter Open(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return new EventStreamWriter(response.Body);
    }

    public Task WriteConnectedAsync(object message, CancellationToken cancellationToken) =>
        WriteAsync($"retry: {RetryMilliseconds.ToString(CultureInfo.InvariantCulture)}\ndata: {Serialize(message)}\n\n", cancellationToken);

    public Task WriteMessageAsync(long id, object message, CancellationToken cancellationToken) =>
        WriteAsync($"id: {id.ToString(CultureInfo.InvariantCulture)}\ndata: {Serialize(message)}\n\n", cancellationToken);

    /// <summary>A message without an id, for a stream whose messages have no single order to resume from.</summary>
    public Task WriteDataAsync(object message, CancellationToken cancellationToken) =>
        WriteAsync($"data: {Serialize(message)}\n\n", cancellationToken);

    public Task WriteHeartbeatAsync(CancellationToken cancellationToken) => WriteAsync(": heartbeat\n\n", cancellationToken);

    private static string Serialize(object message) => JsonSerializer.Serialize(message, message.GetType(), ApiResult.Json);

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await body.FlushAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }
}
