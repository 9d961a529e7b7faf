using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace QueueFunctions.Tests.Support.Outages;

/// <summary>
/// A TCP pass-through between the app and its storage, on ports of its own, that a test closes and opens again.
/// Closing resets every connection at once, as a storage account that becomes unreachable does. Azurite alone does not
/// go away that way: on SIGTERM it stops answering requests on open keep-alive connections, keeps them open until the
/// client gives up (17-20 s here), and saves its tables while requests still in flight may yet be answered, so a write
/// it acknowledged could be missing after the restart, which a real account never does.
/// </summary>
public sealed class StorageGate : IAsyncDisposable
{
    private readonly (int Public, int Upstream)[] routes;

    /// <summary>Every open connection, both ends, with the storage port it leads to.</summary>
    private readonly ConcurrentDictionary<Socket, int> connections = new();

    /// <summary>Per open route: its listener and what cancels its forwarding.</summary>
    private readonly ConcurrentDictionary<int, (TcpListener Listener, CancellationTokenSource Open)> open = new();

    /// <param name="upstream">The storage ports the gate forwards to.</param>
    public StorageGate(params int[] upstream) =>
        routes = upstream.Select(port => (FreePort(), port)).ToArray();

    /// <summary>The port the app uses in place of <paramref name="upstream"/>.</summary>
    public int PublicPortOf(int upstream) => routes.Single(r => r.Upstream == upstream).Public;

    /// <summary>Opens every route.</summary>
    public void Open() => Open(routes.Select(r => r.Upstream).ToArray());

    /// <summary>Opens the routes to <paramref name="upstream"/> alone (say, the table port: the other services stay as they are).</summary>
    public void Open(params int[] upstream)
    {
        foreach (var (publicPort, port) in routes.Where(r => upstream.Contains(r.Upstream) && !open.ContainsKey(r.Upstream)))
        {
            var listener = new TcpListener(IPAddress.Loopback, publicPort);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            var route = new CancellationTokenSource();
            open[port] = (listener, route);
            _ = AcceptAsync(listener, port, route.Token);
        }
    }

    /// <summary>Refuses new connections and resets every open one.</summary>
    public Task CloseAsync() => CloseAsync(routes.Select(r => r.Upstream).ToArray());

    /// <summary>Refuses new connections to <paramref name="upstream"/> and resets those open: that service alone becomes unreachable.</summary>
    public async Task CloseAsync(params int[] upstream)
    {
        foreach (var port in upstream)
        {
            if (open.TryRemove(port, out var route))
            {
                await route.Open.CancelAsync();
                route.Listener.Stop();
                route.Open.Dispose();
            }
        }

        foreach (var (socket, port) in connections)
        {
            if (upstream.Contains(port))
            {
                Reset(socket);
            }
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task AcceptAsync(TcpListener listener, int upstream, CancellationToken closed)
    {
        while (!closed.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(closed);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client, upstream, closed);
        }
    }

    private async Task ForwardAsync(Socket client, int upstream, CancellationToken closed)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        connections[client] = upstream;
        connections[server] = upstream;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, upstream, closed);
            await Task.WhenAny(PumpAsync(client, server, closed), PumpAsync(server, client, closed));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed by the gate, or storage itself is not there: the client sees its connection end.
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken closed)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, closed)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, closed);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private void Reset(Socket socket)
    {
        if (connections.TryRemove(socket, out _))
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
