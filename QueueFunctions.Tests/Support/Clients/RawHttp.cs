using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace QueueFunctions.Tests.Support.Clients;

/// <summary>
/// A request as bytes on the wire, so a test can send what HttpClient would refuse or tidy up: raw paths (dot segments,
/// encoded slashes, non-ASCII bytes), conflicting headers, a body that arrives in slow pieces or never ends.
/// </summary>
/// <param name="Head">The request line and headers, ending with the empty line.</param>
/// <param name="Body">Body pieces, sent one after another with <paramref name="Pace"/> between them.</param>
/// <param name="KeepTrickling">After the pieces, go on sending one more byte (<paramref name="Drip"/>) each <paramref name="Pace"/> until the reply comes.</param>
public sealed record RawRequest(byte[] Head, IReadOnlyList<byte[]> Body, TimeSpan Pace, bool KeepTrickling = false, byte Drip = (byte)' ')
{
    public bool IsHead => Head.AsSpan().StartsWith("HEAD "u8);

    /// <summary>The request with <c>Connection: close</c>, so the reply ends with the connection.</summary>
    public static RawRequest Of(string method, string target, IEnumerable<(string Name, string Value)> headers, byte[]? body = null, bool contentLength = true)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (body is not null && contentLength)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append("\r\n");
        return new RawRequest(Encoding.Latin1.GetBytes(head.ToString()), body is null ? [] : [body], TimeSpan.Zero);
    }
}

/// <summary>What came back: the status and headers (null when the server dropped the connection first) and the body.</summary>
public sealed record RawReply(int? Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, bool TimedOut, TimeSpan Elapsed)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() =>
        TimedOut ? $"no reply within {Elapsed.TotalSeconds:0.0} s"
        : Status is null ? "connection dropped"
        : $"{Status} {Header("content-type")} {(Text.Length > 200 ? Text[..200] + "..." : Text)}";
}

/// <summary>Sends a <see cref="RawRequest"/> over a fresh TCP connection and reads one reply, with a deadline.</summary>
public static class RawHttp
{
    public static async Task<RawReply> SendAsync(Uri server, RawRequest request, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(deadline);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(server.Host, server.Port, stop.Token);
        var stream = client.GetStream();
        using var sent = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var sending = SendBodyAsync(stream, request, sent.Token);
        try
        {
            return await ReadReplyAsync(stream, request.IsHead, clock, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return new RawReply(null, new Dictionary<string, string>(), [], TimedOut: true, clock.Elapsed);
        }
        finally
        {
            await sent.CancelAsync();
            client.Client.Close(0);
            await sending;
        }
    }

    private static async Task SendBodyAsync(NetworkStream stream, RawRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(request.Head, cancellationToken);
            foreach (var piece in request.Body)
            {
                if (request.Pace > TimeSpan.Zero)
                {
                    await Task.Delay(request.Pace, cancellationToken); // the client's pace, not a synchronisation
                }

                await stream.WriteAsync(piece, cancellationToken);
            }

            while (request.KeepTrickling)
            {
                await Task.Delay(request.Pace, cancellationToken);
                await stream.WriteAsync(new[] { request.Drip }, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server answered and closed, or the reply is in: the rest of the body is not wanted.
        }
    }

    private static async Task<RawReply> ReadReplyAsync(NetworkStream stream, bool isHead, Stopwatch clock, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int? status = null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var bodyStart = -1;
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                read = 0; // reset by the server: it dropped the request
            }

            if (read > 0)
            {
                received.Write(buffer, 0, read);
            }

            var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
            if (bodyStart < 0 && bytes.IndexOf("\r\n\r\n"u8) is var end and >= 0)
            {
                bodyStart = end + 4;
                var lines = Encoding.Latin1.GetString(bytes[..end]).Split("\r\n");
                status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    headers[line[..colon].Trim()] = headers.TryGetValue(line[..colon].Trim(), out var earlier)
                        ? earlier + ", " + line[(colon + 1)..].Trim()
                        : line[(colon + 1)..].Trim();
                }
            }

            if (bodyStart >= 0 && (read == 0 || isHead || IsComplete(bytes[bodyStart..], headers)))
            {
                var body = headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
                    ? Unchunk(bytes[bodyStart..].ToArray())
                    : bytes[bodyStart..].ToArray();
                return new RawReply(status, headers, isHead ? [] : body, TimedOut: false, clock.Elapsed);
            }

            if (read == 0)
            {
                return new RawReply(null, headers, [], TimedOut: false, clock.Elapsed);
            }
        }
    }

    /// <summary>A reply is whole at its length, at the last chunk, or for an event stream at its first message.</summary>
    private static bool IsComplete(ReadOnlySpan<byte> body, Dictionary<string, string> headers)
    {
        if (headers.TryGetValue("content-type", out var type) && type.StartsWith("text/event-stream", StringComparison.Ordinal))
        {
            return body.IndexOf("\"CONNECTED\""u8) is var at and >= 0 && body[at..].IndexOf("\n\n"u8) >= 0;
        }

        if (headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body.EndsWith("0\r\n\r\n"u8);
        }

        return headers.TryGetValue("content-length", out var length) && body.Length >= long.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Unchunk(byte[] chunked)
    {
        var body = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0], 16);
            at += lineEnd + 2;
            if (size == 0 || at + size > chunked.Length)
            {
                break;
            }

            body.Write(chunked, at, size);
            at += size + 2;
        }

        return body.ToArray();
    }
}
