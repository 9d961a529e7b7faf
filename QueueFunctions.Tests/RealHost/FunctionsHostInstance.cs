using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>
/// One Azure Functions host running the published app, started and stopped through the host's own scripts as the
/// platform would: a stop is SIGTERM to the host process only (it stops its worker itself), a kill is a crash.
/// </summary>
public sealed partial class FunctionsHostInstance : IAsyncDisposable
{
    public const string FunctionKey = "realhost-function-key-0123456789abcdefABCD";
    public const string MasterKey = "realhost-master-key-0123456789abcdefABCDEF";

    readonly string home;
    bool stopped;

    FunctionsHostInstance(string home, int port, string instanceId, int pid, string logFile)
    {
        this.home = home;
        Port = port;
        InstanceId = instanceId;
        Pid = pid;
        LogFile = logFile;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public string InstanceId { get; }

    public int Pid { get; }

    public string LogFile { get; }

    public Uri BaseAddress { get; }

    /// <summary>The host's log so far: its own entries and the functions' (the worker's arrive as Function.&lt;Name&gt;.User).</summary>
    public string Log()
    {
        using var reader = new StreamReader(new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }

    /// <summary>Starts a host on a free port and returns once it reports Running (the script waits for it).</summary>
    /// <param name="home">The hosts' folder (FUNCHOST_HOME): unpacked host, keys, logs; several hosts may share one.</param>
    /// <param name="settings">App settings as .NET names them (<c>Queue:Clinics</c>); passed as <c>Queue__Clinics</c>.</param>
    public static async Task<FunctionsHostInstance> StartAsync(
        string appDirectory, string home, string storage, string instanceId, IReadOnlyDictionary<string, string> settings, Action<string>? output = null)
    {
        int port = FreePort();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(FunctionsHostScripts.RunScript);
        start.ArgumentList.Add(appDirectory);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["FUNCHOST_HOME"] = home;
        start.Environment["FUNCHOST_INSTANCE_ID"] = instanceId;
        start.Environment["FUNCHOST_FUNCTION_KEY"] = FunctionKey;
        start.Environment["FUNCHOST_MASTER_KEY"] = MasterKey;
        start.Environment["FUNCHOST_WAIT_SECONDS"] = "180";
        start.Environment["AzureWebJobsStorage"] = storage;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run " + FunctionsHostScripts.RunScript);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        string printed = await stdout;
        if (process.ExitCode != 0 || ReadyLine().Match(printed) is not { Success: true } ready)
        {
            throw new InvalidOperationException(
                $"The Functions host did not start on port {port} (exit {process.ExitCode}):\n{printed}\n{await stderr}");
        }

        output?.Invoke($"Functions host {instanceId} Running on port {port} after {clock.Elapsed.TotalSeconds:0.0} s ({ready.Groups["log"].Value})");
        return new FunctionsHostInstance(home, port, instanceId, int.Parse(ready.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture), ready.Groups["log"].Value);
    }

    /// <summary>As the platform stops an instance (scale-in, deployment): SIGTERM to the host process only.</summary>
    public Task StopAsync() => RunStopAsync(kill: false);

    /// <summary>A crash: the host and its worker are killed at once, leaving their leases to expire.</summary>
    public Task KillAsync() => RunStopAsync(kill: true);

    async Task RunStopAsync(bool kill)
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(FunctionsHostScripts.StopScript);
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (kill)
        {
            start.ArgumentList.Add("--kill");
        }

        start.Environment["FUNCHOST_HOME"] = home;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run " + FunctionsHostScripts.StopScript);
        Task<string> drain = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await drain;
    }

    /// <summary>An HTTP client for this host with no cap on connections (every open event stream holds one).</summary>
    public HttpClient NewHttp() =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public async ValueTask DisposeAsync() => await StopAsync();

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"pid=(?<pid>\d+) log=(?<log>\S+)")]
    private static partial Regex ReadyLine();
}
