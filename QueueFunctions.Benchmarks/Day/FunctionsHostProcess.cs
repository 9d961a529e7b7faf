using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Day;

/// <summary>
/// The app on the Azure Functions host (<c>../shared/funchost</c>, or <c>FUNCHOST_DIR</c>): its <c>run-host.sh APPDIR
/// PORT</c> starts a host and waits until it is Running, <c>stop-host.sh PORT</c> stops it as the platform does.
/// </summary>
public sealed partial class FunctionsHostProcess : IAsyncDisposable
{
    readonly string home;
    readonly string scripts;

    FunctionsHostProcess(string home, string scripts, int port)
    {
        this.home = home;
        this.scripts = scripts;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static string Folder(string repo) =>
        Environment.GetEnvironmentVariable("FUNCHOST_DIR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(repo, "..", "shared", "funchost"));

    /// <summary>The app as it is deployed: <c>dotnet publish -c Release</c> of QueueFunctions.</summary>
    public static async Task<string> PublishAsync(string repo, string output, CancellationToken cancel)
    {
        var start = Measure.Now;
        var (code, printed) = await RunAsync("dotnet", ["publish", Path.Combine(repo, "QueueFunctions", "QueueFunctions.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet"], new Dictionary<string, string>(), cancel);
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({code}): {printed}");
        }

        Measure.Progress(Measure.Inv($"  published the app to {output} in {Measure.SecondsSince(start):0} s"));
        return output;
    }

    /// <param name="settings">App settings as .NET names them (<c>Queue:Clinics</c>); passed as <c>Queue__Clinics</c>.</param>
    public static async Task<FunctionsHostProcess> StartAsync(
        string repo, string appDirectory, string home, string storage, string instanceId, string functionKey, IDictionary<string, string?> settings, CancellationToken cancel)
    {
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["FUNCHOST_HOME"] = home,
            ["FUNCHOST_INSTANCE_ID"] = instanceId,
            ["FUNCHOST_FUNCTION_KEY"] = functionKey,
            ["FUNCHOST_WAIT_SECONDS"] = "180",
            ["AzureWebJobsStorage"] = storage,
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        var (code, printed) = await RunAsync("bash", [Path.Combine(Folder(repo), "run-host.sh"), appDirectory, port.ToString(CultureInfo.InvariantCulture)], environment, cancel);
        if (code != 0 || !ReadyLine().IsMatch(printed))
        {
            throw new InvalidOperationException($"The Functions host did not start on port {port} (exit {code}): {printed}");
        }

        return new FunctionsHostProcess(home, Folder(repo), port);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await RunAsync("bash", [Path.Combine(scripts, "stop-host.sh"), Port.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string> { ["FUNCHOST_HOME"] = home }, stopping.Token);
    }

    static async Task<(int Code, string Printed)> RunAsync(string program, IEnumerable<string> arguments, Dictionary<string, string> environment, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run " + program);
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, await stdout + await stderr);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"pid=\d+ log=\S+")]
    private static partial Regex ReadyLine();
}
