using System.Globalization;
using System.Net;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Streams;

/// <summary>
/// One open event stream, read line by line. Records when each <c>id: version</c> first arrived (a repeat of the
/// same version by the periodic refresh is not a new arrival), and counts messages and heartbeats.
/// </summary>
public sealed class SseStream(string clinic, string? user)
{
    readonly object gate = new();
    readonly Dictionary<long, long> arrivals = [];

    public string Clinic { get; } = clinic;

    public string? User { get; } = user;

    /// <summary>The version of the state the stream was given at once, or null until then.</summary>
    public long? FirstVersion { get; private set; }

    public long ConnectedAt { get; private set; }

    public bool Open { get; private set; }

    public bool Ended { get; private set; }

    public string? Error { get; private set; }

    public int Messages { get; private set; }

    public int Heartbeats { get; private set; }

    public Dictionary<long, long> Arrivals
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<long, long>(arrivals);
            }
        }
    }

    /// <summary>Connects, signals <paramref name="connected"/> once the first state arrived (or it failed), then reads until cancelled.</summary>
    public async Task RunAsync(HttpClient http, TaskCompletionSource connected, CancellationToken stop)
    {
        var path = "api/v1/events/stream?clinic=" + Uri.EscapeDataString(Clinic) + (User is null ? "" : "&user=" + Uri.EscapeDataString(User));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = HttpVersion.Version11 };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                throw new InvalidOperationException($"HTTP {(int)response.StatusCode} {response.Content.Headers.ContentType}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(stop);
            using var reader = new StreamReader(body);
            Open = true;
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                Read(line, Measure.Now, connected);
            }

            Ended = true;
            if (!stop.IsCancellationRequested)
            {
                Error ??= "the server ended the stream";
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Error = e.GetType().Name + ": " + e.Message;
        }
        finally
        {
            Open = false;
            connected.TrySetResult();
        }
    }

    /// <summary>Counts one line of the stream; the first <c>id:</c> is the state the stream was given at once.</summary>
    void Read(string line, long at, TaskCompletionSource connected)
    {
        if (line.StartsWith("id: ", StringComparison.Ordinal))
        {
            var version = long.Parse(line.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture);
            lock (gate)
            {
                arrivals.TryAdd(version, at);
            }

            if (FirstVersion is null)
            {
                FirstVersion = version;
                ConnectedAt = at;
                connected.TrySetResult();
            }
        }
        else if (line.StartsWith("data: ", StringComparison.Ordinal))
        {
            Messages++;
        }
        else if (line.StartsWith(": heartbeat", StringComparison.Ordinal))
        {
            Heartbeats++;
        }
    }
}
