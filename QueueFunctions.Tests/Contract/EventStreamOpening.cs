using System.Text;

namespace QueueFunctions.Tests.Contract;

/// <summary>
/// An event stream held open while a test reads its first messages. Streams last minutes, so a test reads until it
/// has what it waits for, checks that opening, and closes the stream when it is done with it.
/// </summary>
public sealed class EventStreamOpening : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly Stream? body;
    private readonly StringBuilder text = new();
    private readonly byte[] buffer = new byte[8192];

    // A character may arrive split across two reads.
    private readonly Decoder decoder = Encoding.UTF8.GetDecoder();

    private EventStreamOpening(HttpResponseMessage response, Stream? body)
    {
        this.response = response;
        this.body = body;
    }

    public static async Task<EventStreamOpening> OpenAsync(HttpClient http, string target)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var isStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        return new EventStreamOpening(response, isStream ? await response.Content.ReadAsStreamAsync() : null);
    }

    /// <summary>The JSON of each complete <c>data:</c> message so far.</summary>
    public IReadOnlyList<string> Data =>
        text.ToString().Split("\n\n").SkipLast(1)
            .SelectMany(e => e.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]))
            .ToList();

    /// <summary>
    /// Reads until <paramref name="enough"/> holds for the messages (a stream), or the whole body (any other reply);
    /// then the reply as read so far.
    /// </summary>
    public async Task<ContractReply> ReadAsync(Func<IReadOnlyList<string>, bool> enough, TimeSpan within)
    {
        if (body is null)
        {
            return await ContractReply.ReadAsync(response);
        }

        using var deadline = new CancellationTokenSource(within);
        while (!enough(Data))
        {
            int read;
            try
            {
                read = await body.ReadAsync(buffer, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The stream did not send what was awaited within {within.TotalSeconds} s. It sent:\n{text}");
            }

            if (read == 0)
            {
                throw new InvalidOperationException($"The stream ended before sending what was awaited. It sent:\n{text}");
            }

            var chars = new char[decoder.GetCharCount(buffer, 0, read)];
            decoder.GetChars(buffer, 0, read, chars, 0);
            text.Append(chars);
        }

        return await ContractReply.ReadAsync(response, Encoding.UTF8.GetBytes(text.ToString()));
    }

    public ValueTask DisposeAsync()
    {
        body?.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
