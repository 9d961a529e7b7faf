using System.Collections.Immutable;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// POST /api/v1/queue/enter on one or more app instances. Requests go round-robin over the instances that are up,
/// like a load balancer; a request that gets no HTTP answer (the instance was killed) counts as such, and the
/// client's next request goes to the next instance.
/// </summary>
public sealed class HttpEnterPath : IEnterPath, IDisposable
{
    readonly HttpClient http = new(new SocketsHttpHandler
    {
        // One connection per client and instance; the default pool would queue concurrent requests.
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        // Above the app's confirm timeout: the app answers 504 itself before this.
        Timeout = TimeSpan.FromSeconds(150),
    };

    ImmutableArray<(int Index, Uri Address)> instances;

    public HttpEnterPath(IEnumerable<(int Index, Uri Address)> instances) => this.instances = [.. instances];

    public IReadOnlyList<(int Index, Uri Address)> Instances => instances;

    public void Add(int index, Uri address) => ImmutableInterlocked.Update(ref instances, list => list.Add((index, address)));

    public void Remove(int index) => ImmutableInterlocked.Update(ref instances, list => list.RemoveAll(i => i.Index == index));

    public async Task<EnterOutcome> EnterAsync(long attempt, string clinic, string user, CancellationToken cancel)
    {
        var live = instances;
        var (index, address) = live[(int)(attempt % live.Length)];
        try
        {
            using var response = await http.PostAsJsonAsync(new Uri(address, "api/v1/queue/enter"), new { clinic, user }, cancel);
            var body = await response.Content.ReadAsStringAsync(cancel);
            if ((int)response.StatusCode != 200)
            {
                return new EnterOutcome((int)response.StatusCode, null, body.Length > 200 ? body[..200] : body, index);
            }

            using var json = JsonDocument.Parse(body);
            return new EnterOutcome(200, json.RootElement.GetProperty("number").GetInt32(), null, index);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return new EnterOutcome(EnterOutcome.CutOff, null, "still waiting when the case ended", index);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or TaskCanceledException)
        {
            return new EnterOutcome(EnterOutcome.NoAnswer, null, e.GetType().Name + ": " + e.Message, index);
        }
    }

    public void Dispose() => http.Dispose();
}
