using System.Diagnostics;
using System.Text.RegularExpressions;
using QueueFunctions.LocalHost.Hosting;

namespace QueueFunctions.LocalHost.CommandLine;

/// <summary>
/// The local host run as a process of its own (this assembly's program), as another app instance on the same task
/// hub would be: tests and benchmarks start several, and kill one outright to see what a crash does. Killing a
/// process leaves its partition leases to expire, as a dead instance on Azure does; stopping a host object in the
/// same process cannot show that.
/// </summary>
public sealed partial class LocalHostProcess : IAsyncDisposable
{
    const string ReadyPrefix = "Clinic queue running at ";

    readonly Process process;
    readonly TaskCompletionSource<Uri> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    string? workerId;

    LocalHostProcess(Process process, Action<string>? output)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data, output);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, output);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The local host process exited with code {process.ExitCode} before it was ready."));
    }

    /// <summary>Where the process's Kestrel listens, ending with a slash.</summary>
    public Uri BaseAddress => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : throw new InvalidOperationException("The process is not ready.");

    /// <summary>The Durable worker id the process printed when its engine started.</summary>
    public string? WorkerId => Volatile.Read(ref workerId);

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <c>dotnet QueueFunctions.LocalHost.dll</c> from this assembly's folder on a free port, with
    /// <paramref name="settings"/> (e.g. <c>LocalHost:TaskHub</c>, <c>Queue:Clinics</c>) as its environment variables
    /// (<c>LocalHost__TaskHub</c>), and waits until it serves HTTP.
    /// </summary>
    /// <param name="environment">Extra environment variables of the process (e.g. a .NET startup hook).</param>
    /// <param name="program">Another build's <c>QueueFunctions.LocalHost.dll</c> (e.g. an earlier version, to compare with).</param>
    public static async Task<LocalHostProcess> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        TimeSpan startTimeout,
        Action<string>? output = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default,
        string? program = null)
    {
        program ??= Path.Combine(AppContext.BaseDirectory, typeof(LocalHostProcess).Assembly.GetName().Name + ".dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(program))!,
        };
        start.ArgumentList.Add(program);
        var merged = new Dictionary<string, string?>(settings) { [LocalHostConfigKeys.Urls] = settings.GetValueOrDefault(LocalHostConfigKeys.Urls) ?? "http://127.0.0.1:0" };

        // Through the environment, not the command line: settings carry the function key and the storage connection
        // string, and any user of the machine can read a process's command line, but only its owner its environment.
        foreach (var (key, value) in merged)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new LocalHostProcess(process, output);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.ready.Task.WaitAsync(startTimeout, cancellationToken);
        }
        catch
        {
            host.Kill();
            throw;
        }

        return host;
    }

    /// <summary>A crash: the process and its children end at once, with no shutdown of any kind.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>A graceful stop (SIGTERM where there is one), as a scale-in or a deployment would do.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Kill();
        }
        else
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    void OnLine(string? line, Action<string>? output)
    {
        if (line is null)
        {
            return;
        }

        output?.Invoke(line);
        if (WorkerIdLine().Match(line) is { Success: true } match)
        {
            Volatile.Write(ref workerId, match.Groups[1].Value);
        }

        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            ready.TrySetResult(new Uri(line[ReadyPrefix.Length..].Trim().TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex("worker id '([^']+)'")]
    private static partial Regex WorkerIdLine();
}
