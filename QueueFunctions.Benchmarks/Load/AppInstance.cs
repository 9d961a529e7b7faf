using System.Diagnostics;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// One app instance as its own process: the built local host (`dotnet QueueFunctions.LocalHost.dll`) on a free
/// loopback port, on a given task hub and storage, with its own worker id, and <see cref="StorageCounterHook"/>
/// loaded to count its storage requests. Ready when it prints "Clinic queue running at &lt;address&gt;".
/// </summary>
public sealed class AppInstance : IAsyncDisposable
{
    const string ReadyLine = "Clinic queue running at ";
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    readonly Process process;
    readonly TaskCompletionSource<Uri> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<string> problems = [];
    volatile StorageRequests storage = StorageRequests.None;
    int warnings;

    AppInstance(int index, string workerId, Process process)
    {
        Index = index;
        WorkerId = workerId;
        this.process = process;
    }

    public int Index { get; }

    public string WorkerId { get; }

    public int ProcessId => process.Id;

    public Uri BaseAddress => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : throw new InvalidOperationException("Not started.");

    /// <summary>Whether the host said which worker id it runs with (hosts that read LocalHost:WorkerId print it).</summary>
    public bool WorkerIdConfirmed { get; private set; }

    /// <summary>The process's storage requests so far, as its hook last printed them (every 250 ms).</summary>
    public StorageRequests Storage => storage;

    public bool Killed { get; private set; }

    /// <summary>Warnings and errors the instance logged; the first few kept.</summary>
    public int Warnings => Volatile.Read(ref warnings);

    public IReadOnlyList<string> FirstProblems
    {
        get
        {
            lock (problems)
            {
                return [.. problems];
            }
        }
    }

    /// <summary>Where the local host program is: beside this program (the benchmark references the local host project).</summary>
    public static string LocalHostDll =>
        Path.Combine(AppContext.BaseDirectory, "QueueFunctions.LocalHost.dll") is var dll && File.Exists(dll)
            ? dll
            : throw new FileNotFoundException("QueueFunctions.LocalHost.dll is not beside the benchmark; build the solution first.", dll);

    public static async Task<AppInstance> StartAsync(
        int index, string taskHub, string storage, string functionKey, IDictionary<string, string?> settings, CancellationToken cancel)
    {
        var workerId = $"bench-{index}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(LocalHostDll);
        foreach (var arg in new[]
                 {
                     "--LocalHost:Urls=http://127.0.0.1:0",
                     $"--LocalHost:TaskHub={taskHub}",
                     $"--LocalHost:StorageConnectionString={storage}",
                     $"--LocalHost:FunctionKey={functionKey}",
                     $"--LocalHost:WorkerId={workerId}",
                     // Only problems on the console, one line each: the benchmark reads it for the ready line, counts and warnings.
                     "--Logging:LogLevel:Default=Warning",
                     "--Logging:Console:FormatterName=simple",
                     "--Logging:Console:FormatterOptions:SingleLine=true",
                     "--Logging:Console:FormatterOptions:ColorBehavior=Disabled",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StorageCounterHook).Assembly.Location;
        start.Environment[StorageCounterHook.StorageVariable] = storage;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var instance = new AppInstance(index, workerId, process);
        process.OutputDataReceived += (_, e) => instance.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => instance.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync(CancellationToken.None).ContinueWith(
            _ => instance.ready.TrySetException(new InvalidOperationException(
                $"App instance {index} exited with code {process.ExitCode} before it was ready: {string.Join(" | ", instance.FirstProblems)}")),
            TaskScheduler.Default);

        try
        {
            await instance.ready.Task.WaitAsync(StartTimeout, cancel);
        }
        catch
        {
            instance.Kill();
            throw;
        }

        return instance;
    }

    void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(StorageCounterHook.LinePrefix, StringComparison.Ordinal))
        {
            if (StorageRequests.TryParse(line[StorageCounterHook.LinePrefix.Length..]) is { } counted)
            {
                storage = counted;
            }

            return;
        }

        if (line.Contains($"worker id '{WorkerId}'", StringComparison.Ordinal))
        {
            WorkerIdConfirmed = true;
        }

        var at = line.IndexOf(ReadyLine, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + ReadyLine.Length)..].Trim().TrimEnd('/') + "/", UriKind.Absolute, out var address))
        {
            ready.TrySetResult(address);
            return;
        }

        if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
            || line.StartsWith("crit:", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref warnings);
            lock (problems)
            {
                if (problems.Count < 5)
                {
                    problems.Add(line.Length > 240 ? line[..240] + "..." : line);
                }
            }
        }
    }

    /// <summary>A crash: the whole process tree is killed at once, nothing is drained or released.</summary>
    public void Kill()
    {
        Killed = true;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }

        process.Dispose();
    }
}
