using Microsoft.Extensions.Configuration;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.LocalHost.CommandLine;

/// <summary>
/// The program's Azurite: one already listening on the configured ports, else one started there from the repository's
/// node_modules. Ports and data folder are settings so that a second Azurite (a test's, say) can run beside a
/// developer's without sharing its data or its ports.
/// </summary>
static class ProgramAzurite
{
    public const string BlobPort = "LocalHost:AzuriteBlobPort";
    public const string QueuePort = "LocalHost:AzuriteQueuePort";
    public const string TablePort = "LocalHost:AzuriteTablePort";
    public const string DataDirectory = "LocalHost:AzuriteDataDirectory";

    /// <summary>Null when there is no repository to start Azurite from (the caller says so).</summary>
    public static async Task<AzuriteProcess?> UseOrStartAsync(IConfiguration config, string? repository, CancellationToken cancellationToken)
    {
        int blob = Port(config, BlobPort, AzuriteProcess.DefaultBlobPort);
        int queue = Port(config, QueuePort, AzuriteProcess.DefaultQueuePort);
        int table = Port(config, TablePort, AzuriteProcess.DefaultTablePort);

        // Port 0 means "any free port": there is nothing already running to look for.
        if (blob != 0 && queue != 0 && table != 0 && AzuriteProcess.TryUseRunning(blob, queue, table) is { } running)
        {
            Console.WriteLine($"Using the Azurite already listening on 127.0.0.1:{blob}/{queue}/{table}.");
            return running;
        }

        if (repository is null)
        {
            return null;
        }

        string data = config[DataDirectory] is { Length: > 0 } configured ? Path.GetFullPath(configured) : Path.Combine(repository, ".azurite");
        Console.WriteLine($"Starting Azurite (data in {data}) ...");
        AzuriteProcess started = await AzuriteProcess.StartAsync(repository, data, blob, queue, table, cancellationToken: cancellationToken);
        Console.WriteLine($"Azurite (process {started.ProcessId}) listening on 127.0.0.1:{started.BlobPort}/{started.QueuePort}/{started.TablePort}.");
        return started;
    }

    static int Port(IConfiguration config, string key, int fallback) =>
        config[key] is { Length: > 0 } text
            ? int.TryParse(text, out int port) && port is >= 0 and <= 65535 ? port : throw new InvalidOperationException($"{key}: '{text}' is not a port number (0 = any free port).")
            : fallback;
}
