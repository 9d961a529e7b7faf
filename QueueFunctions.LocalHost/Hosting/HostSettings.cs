using System.Globalization;
using Microsoft.Extensions.Configuration;
using QueueFunctions.LocalHost.Engine;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Http;
using QueueFunctions.LocalHost.Triggers;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>
/// What a host runs with, from its options over configuration over host.json: read, and refused if need be, before
/// anything starts.
/// </summary>
/// <remarks>Not a record: a record's generated ToString would print the keys and the storage connection string.</remarks>
sealed class HostSettings(DurableEngineSettings engine, QueueTriggerSettings queues, IReadOnlyList<string> disabled, FunctionKeys keys)
{
    public DurableEngineSettings Engine { get; } = engine;

    public QueueTriggerSettings Queues { get; } = queues;

    /// <summary>Functions switched off by their <c>AzureWebJobs.&lt;name&gt;.Disabled</c> setting.</summary>
    public IReadOnlyList<string> Disabled { get; } = disabled;

    public FunctionKeys Keys { get; } = keys;

    public static HostSettings Read(LocalQueueHostOptions options, IConfiguration config, FunctionCatalog catalog, Action<string> progress)
    {
        string hostJsonPath = HostJsonPath(options, config);
        DurableExtensionSettings extension = DurableExtensionSettings.Load(config, hostJsonPath, new ProgressLogger(progress));
        QueueTriggerSettings queues = QueueTriggerSettings.Load(config, hostJsonPath);
        DurableEngineSettings engine = EngineSettings(options, config, extension);
        IReadOnlyList<string> disabled = DisabledFunctions(catalog, config, progress);
        return new HostSettings(engine, queues, disabled, FunctionKeysOf(options, config));
    }

    static string HostJsonPath(LocalQueueHostOptions options, IConfiguration config)
    {
        string hostJsonPath = options.HostJsonPath ?? config[LocalHostConfigKeys.HostJsonPath] ?? QueueTriggerSettings.DefaultHostJsonPath;
        if ((options.HostJsonPath ?? config[LocalHostConfigKeys.HostJsonPath]) is not null && !File.Exists(hostJsonPath))
        {
            throw new InvalidOperationException($"host.json not found at {hostJsonPath} (from {nameof(LocalQueueHostOptions.HostJsonPath)} or {LocalHostConfigKeys.HostJsonPath}).");
        }

        return hostJsonPath;
    }

    /// <summary>host.json's values as the extension derives them, under the local settings that may override them.</summary>
    static DurableEngineSettings EngineSettings(LocalQueueHostOptions options, IConfiguration config, DurableExtensionSettings extension)
    {
        TimeSpan? localVisibility = options.QueueVisibilityTimeout
            ?? (int.TryParse(config[LocalHostConfigKeys.QueueVisibilityTimeoutSeconds], out int seconds) ? TimeSpan.FromSeconds(seconds) : null);
        return new DurableEngineSettings
        {
            Extension = extension,
            StorageConnectionString = options.StorageConnectionString
                ?? config[LocalHostConfigKeys.StorageConnectionString]
                ?? config["AzureWebJobsStorage"]
                ?? throw new InvalidOperationException(
                    $"No storage connection string: set {LocalHostConfigKeys.StorageConnectionString} (or AzureWebJobsStorage)."),
            TaskHubName = options.TaskHubName ?? config[LocalHostConfigKeys.TaskHub] ?? LocalHostConfigKeys.DefaultTaskHub,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval
                ?? (int.TryParse(config[LocalHostConfigKeys.MaxQueuePollingIntervalMs], out int ms) ? TimeSpan.FromMilliseconds(ms) : extension.Storage.MaxQueuePollingInterval),
            PartitionCount = int.TryParse(config[LocalHostConfigKeys.PartitionCount], out int partitions) ? partitions : extension.Storage.PartitionCount,
            ControlQueueVisibilityTimeout = localVisibility ?? extension.Storage.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = localVisibility is null ? extension.Storage.WorkItemQueueVisibilityTimeout : null,
            WorkerId = options.WorkerId ?? (config[LocalHostConfigKeys.WorkerId] is { Length: > 0 } id ? id : DurableEngineSettings.NewWorkerId()),
            LeaseInterval = double.TryParse(config[LocalHostConfigKeys.LeaseIntervalSeconds], CultureInfo.InvariantCulture, out double lease)
                ? TimeSpan.FromSeconds(lease) : TimeSpan.FromSeconds(30),
            LeaseRenewInterval = double.TryParse(config[LocalHostConfigKeys.LeaseRenewIntervalSeconds], CultureInfo.InvariantCulture, out double renew)
                ? TimeSpan.FromSeconds(renew) : TimeSpan.FromSeconds(10),
            UseTablePartitionManagement = bool.TryParse(config[LocalHostConfigKeys.UseTablePartitionManagement], out bool table) ? table : extension.Storage.UseTablePartitionManagement,
            FailureBackoff = int.TryParse(config[LocalHostConfigKeys.FailureBackoffSeconds], out int backoff) ? TimeSpan.FromSeconds(backoff) : DurableEngineSettings.DefaultFailureBackoff,
        };
    }

    static string[] DisabledFunctions(FunctionCatalog catalog, IConfiguration config, Action<string> progress)
    {
        string[] disabled = catalog.HttpFunctions.Select(f => f.Name)
            .Concat(catalog.QueueFunctions.Select(f => f.Name))
            .Concat(catalog.TimerFunctions.Select(f => f.Name))
            .Where(name => FunctionSwitches.IsDisabled(config, name))
            .ToArray();
        if (disabled.Length > 0)
        {
            progress($"Disabled by their AzureWebJobs.<name>.Disabled setting: {string.Join(", ", disabled)}.");
        }

        return disabled;
    }

    static FunctionKeys FunctionKeysOf(LocalQueueHostOptions options, IConfiguration config)
    {
        string functionKey = options.FunctionKey ?? config[LocalHostConfigKeys.FunctionKey] ?? LocalHostConfigKeys.DefaultFunctionKey;
        string masterKey = options.MasterKey ?? config[LocalHostConfigKeys.MasterKey] ?? functionKey;
        if (functionKey.Length == 0 || masterKey.Length == 0)
        {
            // An empty key cannot be presented, so every staff route would answer 401: a setting left blank by mistake.
            throw new InvalidOperationException($"{LocalHostConfigKeys.FunctionKey} and {LocalHostConfigKeys.MasterKey} may not be empty.");
        }

        return new FunctionKeys(functionKey, masterKey);
    }
}
