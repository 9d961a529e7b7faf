using System.Reflection;
using Microsoft.Extensions.Logging;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Shared;

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
