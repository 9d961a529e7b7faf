using System.Net;
using System.Text.Json;
using QueueFunctions.LocalHost.Hosting;

namespace QueueFunctions.Benchmarks.Shared;

static class BenchHttp
{
    /// <summary>One client for many concurrent HTTP/1.1 connections to the app (the default pool would queue them).</summary>
    public static HttpClient NewClient(LocalQueueHost host, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(20),
        })
        {
            BaseAddress = host.BaseAddress,
            Timeout = timeout,
        };

    public static async Task<Dictionary<string, string>> PinsAsync(HttpClient http, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/pin/status");
        request.Headers.Add("x-functions-key", BenchHost.Key);
        using var response = await http.SendAsync(request, cancel);
        var body = await response.Content.ReadAsStringAsync(cancel);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"pin/status answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("pins").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
