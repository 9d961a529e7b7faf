using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks;

/// <summary>Starts the app (or the benchmark's own functions) on the local host, on a free port and its own task hub.</summary>
public static class BenchHost
{
    public const string Key = "bench-function-key";

    /// <param name="moreLogging">Extra log providers, e.g. the stages scenario's capture of the engine's own events.</param>
    public static Task<LocalQueueHost> StartAppAsync(string storage, IDictionary<string, string?> settings, HostLog log, Action<ILoggingBuilder>? moreLogging = null) =>
        StartAsync(typeof(ClinicQueueEntity).Assembly, storage, "benchapp", settings, log, moreLogging);

    /// <summary>The benchmark's orchestration, the app's entity and publisher, and the app's services.</summary>
    public static Task<LocalQueueHost> StartOrchestrationHostAsync(string storage, IDictionary<string, string?> settings, HostLog log) =>
        StartAsync(typeof(OrchestratedEnter).Assembly, storage, "benchorch", settings, log);

    static Task<LocalQueueHost> StartAsync(Assembly functions, string storage, string hubPrefix, IDictionary<string, string?> settings, HostLog log, Action<ILoggingBuilder>? moreLogging = null) =>
        LocalQueueHost.StartAsync(new LocalQueueHostOptions
        {
            FunctionsAssembly = functions,
            ConfigureServices = (services, config) => services.AddClinicQueue(config),
            StorageConnectionString = storage,
            TaskHubName = hubPrefix + Guid.NewGuid().ToString("N")[..10],
            Urls = "http://127.0.0.1:0",
            FunctionKey = Key,
            MasterKey = Key,
            // The local host's default; the engine tests use 100 ms.
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
            Configuration = TimerSchedules.Defaults
                .Where(d => !settings.ContainsKey(d.Key))
                .Select(d => KeyValuePair.Create(d.Key, (string?)d.Value))
                .Concat(settings)
                .ToDictionary(),
            Progress = line => Measure.Progress("  " + line),
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(log);
                moreLogging?.Invoke(logging);
            },
        });
}

/// <summary>Counts the hosts' warnings and errors and keeps the first few, instead of printing thousands of lines.</summary>
public sealed class HostLog : ILoggerProvider
{
    readonly ConcurrentQueue<string> first = new();
    int warnings;
    int errors;

    public int Warnings => Volatile.Read(ref warnings);

    public int Errors => Volatile.Read(ref errors);

    public IReadOnlyCollection<string> First => first;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    void Write(LogLevel level, string category, string message)
    {
        if (level >= LogLevel.Error)
        {
            Interlocked.Increment(ref errors);
        }
        else
        {
            Interlocked.Increment(ref warnings);
        }

        if (first.Count < 8)
        {
            var line = message.Split('\n', 2)[0].Trim();
            first.Enqueue($"{level} {category}: {(line.Length > 240 ? line[..240] + "..." : line)}");
        }
    }

    sealed class Logger(HostLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, category, formatter(state, exception) + (exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message));
            }
        }
    }
}
