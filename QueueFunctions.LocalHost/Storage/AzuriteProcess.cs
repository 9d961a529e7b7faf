using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace QueueFunctions.LocalHost.Storage;

/// <summary>
/// Azurite (the Azure Storage emulator) run as a child process from the repository's node_modules
/// (installed by <c>npm ci</c> at the repository root). Nothing is installed or downloaded here.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The documented, public account key of Azurite's built-in development account. Not a secret.</summary>
    public const string DevAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const int DefaultBlobPort = 10000;
    public const int DefaultQueuePort = 10001;
    public const int DefaultTablePort = 10002;

    Process? process;
    readonly System.Text.StringBuilder? output;

    AzuriteProcess(int blobPort, int queuePort, int tablePort, string? dataDirectory, Process? process, System.Text.StringBuilder? output = null)
    {
        this.output = output;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        DataDirectory = dataDirectory;
        this.process = process;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>Where this Azurite keeps its data, or null when an already running Azurite is used.</summary>
    public string? DataDirectory { get; }

    /// <summary>The node process's id, or null when an already running Azurite is used (or this one is stopped).</summary>
    public int? ProcessId => process?.Id;

    /// <summary>True when this object started the Azurite process (and will stop it).</summary>
    public bool OwnsProcess => process is not null;

    public string ConnectionString => BuildConnectionString(BlobPort, QueuePort, TablePort);

    public static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <summary>Uses an Azurite already listening on the default ports 10000-10002, if there is one.</summary>
    public static AzuriteProcess? TryUseRunning() => TryUseRunning(DefaultBlobPort, DefaultQueuePort, DefaultTablePort);

    /// <summary>Uses an Azurite already listening on these ports, if there is one.</summary>
    public static AzuriteProcess? TryUseRunning(int blobPort, int queuePort, int tablePort)
    {
        if (IsListening(blobPort) && IsListening(queuePort) && IsListening(tablePort))
        {
            return new AzuriteProcess(blobPort, queuePort, tablePort, null, null);
        }

        return null;
    }

    /// <summary>
    /// Starts Azurite from <paramref name="repositoryRoot"/>/node_modules with its data in
    /// <paramref name="dataDirectory"/>. A port of 0 picks a free port.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(
        string repositoryRoot,
        string dataDirectory,
        int blobPort = 0,
        int queuePort = 0,
        int tablePort = 0,
        TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default)
    {
        string script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: {script} does not exist. Run `npm ci` in {repositoryRoot} first.");
        }

        Directory.CreateDirectory(dataDirectory);
        blobPort = blobPort == 0 ? FreePort() : blobPort;
        queuePort = queuePort == 0 ? FreePort(blobPort) : queuePort;
        tablePort = tablePort == 0 ? FreePort(blobPort, queuePort) : tablePort;

        ProcessStartInfo start = AzuriteCommand.Create(repositoryRoot, dataDirectory, script,
        [
            "--silent", "--loose", "--skipApiVersionCheck",
            "--location", dataDirectory,
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(),
        ]);

        (Process process, System.Text.StringBuilder output) = Launch(start);
        var azurite = new AzuriteProcess(blobPort, queuePort, tablePort, dataDirectory, process, output);
        await azurite.WaitUntilListeningAsync(process, output, startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
        return azurite;
    }

    /// <summary>Starts node, keeping everything it prints for the error of a start that fails.</summary>
    static (Process Process, System.Text.StringBuilder Output) Launch(ProcessStartInfo start)
    {
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Cannot start Azurite: `node` (Node.js 20 or newer) is not on PATH.", e);
        }

        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    /// <summary>Waits until all three ports answer; a node that exits or a start past the timeout is stopped and reported.</summary>
    async Task WaitUntilListeningAsync(Process node, System.Text.StringBuilder output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!(IsListening(BlobPort) && IsListening(QueuePort) && IsListening(TablePort)))
        {
            if (node.HasExited || DateTime.UtcNow > deadline)
            {
                string log;
                lock (output) log = output.ToString();
                await DisposeAsync();
                throw new InvalidOperationException(
                    $"Azurite did not start listening on 127.0.0.1:{BlobPort}/{QueuePort}/{TablePort}. Output:\n{log}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Walks up from <paramref name="start"/> to the folder holding node_modules/azurite (or package.json).</summary>
    public static string? FindRepositoryRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "node_modules", "azurite")))
            {
                return dir.FullName;
            }
        }

        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "QueueFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static int FreePort(params int[] exclude)
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (!exclude.Contains(port))
            {
                return port;
            }
        }
    }

    /// <summary>
    /// Stops Azurite as an operator would (SIGTERM), so it writes its data to disk first: a killed Azurite loses what it
    /// had not saved yet (tables created in its last seconds), which a real storage account never does. Once each of its
    /// three services says it closed (its data saved, within a fraction of a second), the process is ended: left alone it
    /// lingers on its own timers for seconds to minutes (10-90 s measured) while its ports no longer answer.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        Process? p = process;
        if (p is null || p.HasExited)
        {
            await DisposeAsync();
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            using var term = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            DateTime deadline = DateTime.UtcNow + timeout;
            while (!p.HasExited && ServicesClosed() < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }

        await DisposeAsync();
    }

    int ServicesClosed()
    {
        if (output is null)
        {
            return 0;
        }

        lock (output)
        {
            string text = output.ToString();
            return new[] { "Blob", "Queue", "Table" }.Count(service => text.Contains($"Azurite {service} service successfully closed", StringComparison.Ordinal));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Process? p = Interlocked.Exchange(ref process, null);
        if (p is null)
        {
            return;
        }

        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await p.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or refusing to die: nothing more to do from here.
        }
        finally
        {
            p.Dispose();
        }
    }
}
