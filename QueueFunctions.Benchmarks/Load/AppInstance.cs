using QueueFunctions.Benchmarks.Shared.Storage;
using QueueFunctions.LocalHost.CommandLine;
using QueueFunctions.LocalHost.Hosting;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// One app instance as its own process: the built local host (`dotnet QueueFunctions.LocalHost.dll`) on a free
/// loopback port, on a given task hub and storage, with its own worker id, and <see cref="StorageCounterHook"/>
/// loaded to count its storage requests (or another build's local host, to compare with). Ready when it prints "Clinic queue running at &lt;address&gt;".
/// </summary>
public sealed class AppInstance : IAsyncDisposable
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    readonly List<string> problems = [];
    LocalHostProcess? host;
    volatile StorageRequests storage = StorageRequests.None;
    TaskCompletionSource<StorageRequests> nextStorage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int warnings;

    AppInstance(int index, string workerId)
    {
        Index = index;
        WorkerId = workerId;
    }

    public int Index { get; }

    public string WorkerId { get; }

    public int ProcessId => Host.Id;

    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>Whether the host said which worker id it runs with (hosts that read LocalHost:WorkerId print it).</summary>
    public bool WorkerIdConfirmed => Host.WorkerId == WorkerId;

    /// <summary>The process's storage requests so far, as its hook last printed them (every 250 ms).</summary>
    public StorageRequests Storage => storage;

    /// <summary>The totals the hook prints next: counted after the moment of the call, not up to 250 ms before it.</summary>
    public Task<StorageRequests> NextStorageAsync(CancellationToken cancel) => Volatile.Read(ref nextStorage).Task.WaitAsync(cancel);

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

    LocalHostProcess Host => host ?? throw new InvalidOperationException("Not started.");

    public static async Task<AppInstance> StartAsync(
        int index, string taskHub, string storage, string functionKey, IDictionary<string, string?> settings, CancellationToken cancel, string? program = null)
    {
        var instance = new AppInstance(index, $"bench-{index}");
        var arguments = new Dictionary<string, string?>
        {
            [LocalHostConfigKeys.TaskHub] = taskHub,
            [LocalHostConfigKeys.StorageConnectionString] = storage,
            [LocalHostConfigKeys.FunctionKey] = functionKey,
            [LocalHostConfigKeys.WorkerId] = instance.WorkerId,
            // Only problems on the console, one line each: the benchmark reads it for the ready line, counts and warnings.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
            ["Logging:Console:FormatterOptions:ColorBehavior"] = "Disabled",
        };
        foreach (var (key, value) in settings)
        {
            arguments[key] = value;
        }

        var environment = new Dictionary<string, string>
        {
            ["DOTNET_STARTUP_HOOKS"] = typeof(StorageCounterHook).Assembly.Location,
            [StorageCounterHook.StorageVariable] = storage,
        };
        try
        {
            instance.host = await LocalHostProcess.StartAsync(arguments, StartTimeout, instance.OnLine, environment, cancel, program);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"App instance {index}: {e.Message} {string.Join(" | ", instance.FirstProblems)}", e);
        }

        return instance;
    }

    void OnLine(string line)
    {
        if (line.StartsWith(StorageCounterHook.LinePrefix, StringComparison.Ordinal))
        {
            if (StorageRequests.TryParse(line[StorageCounterHook.LinePrefix.Length..]) is { } counted)
            {
                storage = counted;
                Interlocked.Exchange(ref nextStorage, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(counted);
            }

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
        host?.Kill();
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}
