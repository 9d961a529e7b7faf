using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Tests.Support.Outages;

/// <summary>
/// An Azurite of one test's own (process, ports, data folder), so that the test can stop storage and start it again
/// without disturbing the other engine tests. The app reaches it through a <see cref="StorageGate"/>: a stop closes the
/// gate first (every connection reset, new ones refused) and then stops Azurite, which then has no client to wait for
/// and saves what it acknowledged; a restart starts Azurite again on the same ports with the same data and then opens
/// the gate on the same ports, as a storage account that comes back does.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private readonly string repository;
    private readonly string data;
    private readonly StorageGate gate;
    private AzuriteProcess process;
    private System.Diagnostics.Stopwatch? closed;

    private PrivateAzurite(string repository, string data, AzuriteProcess process)
    {
        this.repository = repository;
        this.data = data;
        this.process = process;
        gate = new StorageGate(process.BlobPort, process.QueuePort, process.TablePort);
        gate.Open();
        ConnectionString = AzuriteProcess.BuildConnectionString(
            gate.PublicPortOf(process.BlobPort), gate.PublicPortOf(process.QueuePort), gate.PublicPortOf(process.TablePort));
    }

    /// <summary>Stays the same across a restart: the ports do not change.</summary>
    public string ConnectionString { get; }

    public static async Task<PrivateAzurite> StartAsync(string name)
    {
        var repository = AzuriteProcess.FindRepositoryRoot()
            ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci` at the repository root before the engine tests.");
        var data = Path.Combine(Path.GetTempPath(), $"queue-{name}-{Guid.NewGuid():N}");
        return new PrivateAzurite(repository, data, await AzuriteProcess.StartAsync(repository, data));
    }

    /// <summary>Storage goes away: every request to it is refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        await gate.CloseAsync();
        closed = System.Diagnostics.Stopwatch.StartNew();
        await process.StopAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// The table service alone becomes unreachable, as in a table outage or a throttled table: blobs and queues answer as
    /// before, and Azurite keeps running. <see cref="RestoreTables"/> opens it again.
    /// </summary>
    public Task CutTablesAsync() => gate.CloseAsync(process.TablePort);

    public void RestoreTables() => gate.Open(process.TablePort);

    /// <summary>
    /// Storage comes back on the same ports with the same data, <paramref name="outage"/> after <see cref="StopAsync"/>
    /// cut it off (or as soon as Azurite is up again, if that takes longer): the app sees it unreachable for that long.
    /// </summary>
    public async Task RestartAsync(TimeSpan outage)
    {
        process = await AzuriteProcess.StartAsync(repository, data, process.BlobPort, process.QueuePort, process.TablePort);
        var left = outage - (closed?.Elapsed ?? outage);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        gate.Open();
    }

    public async ValueTask DisposeAsync()
    {
        await gate.DisposeAsync();
        await process.DisposeAsync();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is cleaned up by the system in time.
        }
    }
}
