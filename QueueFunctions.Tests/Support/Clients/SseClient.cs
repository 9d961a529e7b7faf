using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace QueueFunctions.Tests.Support.Clients;

/// <summary>
/// A Server-Sent Events reader over real HTTP that keeps the raw text and the parsed events, so tests can
/// check the wire format byte for byte and wait for particular messages.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly object gate = new();
    private readonly StringBuilder raw = new();
    private readonly List<SseEvent> events = [];
    private readonly CancellationTokenSource stop = new();
    private HttpResponseMessage? response;
    private Task? pump;

    public HttpResponseMessage Response => response ?? throw new InvalidOperationException("Not connected.");

    public string Raw
    {
        get
        {
            lock (gate)
            {
                return raw.ToString();
            }
        }
    }

    public IReadOnlyList<SseEvent> Events
    {
        get
        {
            lock (gate)
            {
                return events.ToList();
            }
        }
    }

    /// <summary>Completes when the server ends the stream.</summary>
    public Task Ended => pump ?? Task.CompletedTask;

    public static async Task<SseClient> ConnectAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var client = new SseClient();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        client.response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, client.stop.Token);
        if (client.response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            client.pump = client.PumpAsync(await client.response.Content.ReadAsStreamAsync(client.stop.Token));
        }

        return client;
    }

    public async Task<SseEvent> WaitForAsync(Func<SseEvent, bool> match, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var found = Events.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No {what} within {within.TotalSeconds} s. Stream so far:\n{Raw}");
            }

            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (pump is not null)
        {
            try
            {
                await pump;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
            }
        }

        response?.Dispose();
        stop.Dispose();
    }

    private async Task PumpAsync(Stream body)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[4096];
        var pending = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, stop.Token)) > 0)
        {
            var received = DateTime.UtcNow;
            lock (gate)
            {
                raw.Append(buffer, 0, read);
            }

            pending.Append(buffer, 0, read);
            var text = pending.ToString();
            int end;
            while ((end = text.IndexOf("\n\n", StringComparison.Ordinal)) >= 0)
            {
                var block = text[..end];
                text = text[(end + 2)..];
                var parsed = SseEvent.Parse(block, received);
                lock (gate)
                {
                    events.Add(parsed);
                }
            }

            pending.Clear().Append(text);
        }
    }
}

/// <summary>One block of a stream: an event with data, or a comment such as the heartbeat.</summary>
public sealed record SseEvent(string? Id, string? Data, string? Comment, int? Retry, DateTime ReceivedAt)
{
    public string? Type => Data is null ? null : Json.GetProperty("type").GetString();

    public JsonElement Json => JsonDocument.Parse(Data ?? "null").RootElement;

    public static SseEvent Parse(string block, DateTime receivedAt)
    {
        string? id = null, comment = null;
        int? retry = null;
        var data = new List<string>();
        foreach (var line in block.Split('\n'))
        {
            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line[6..]);
            }
            else if (line.StartsWith("retry: ", StringComparison.Ordinal))
            {
                retry = int.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return new SseEvent(id, data.Count == 0 ? null : string.Join('\n', data), comment, retry, receivedAt);
    }
}
