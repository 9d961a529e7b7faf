using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>
/// How to start a <see cref="LocalQueueHost"/>. Every setting left null falls back to configuration
/// (keys under <c>LocalHost:</c>, see <see cref="LocalHostConfigKeys"/>), then to the documented default.
/// </summary>
public sealed class LocalQueueHostOptions
{
    /// <summary>The assembly whose [Function] methods and entities are run.</summary>
    public required Assembly FunctionsAssembly { get; init; }

    /// <summary>The app's own service registration, e.g. <c>(s, c) =&gt; s.AddClinicQueue(c)</c>.</summary>
    public Action<IServiceCollection, IConfiguration>? ConfigureServices { get; init; }

    /// <summary>Azure Storage connection string (Azurite). Falls back to LocalHost:StorageConnectionString, then AzureWebJobsStorage.</summary>
    public string? StorageConnectionString { get; init; }

    public string? TaskHubName { get; init; }

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:7071; port 0 picks a free port.</summary>
    public string? Urls { get; init; }

    public string? FunctionKey { get; init; }

    public string? MasterKey { get; init; }

    /// <summary>Replaces the app's TimeProvider registration (tests pass a FakeTimeProvider).</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Extra configuration, applied over every other source.</summary>
    public IDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>Static files folder (the app's wwwroot). Null: LocalHost:WebRoot, else none.</summary>
    public string? WebRootPath { get; init; }

    /// <summary>
    /// host.json read for the Durable extension's and the queue trigger's settings. Null: LocalHost:HostJsonPath, else
    /// host.json beside the program (copied there from the repository); a path given explicitly must exist.
    /// </summary>
    public string? HostJsonPath { get; init; }

    /// <summary>Overrides host.json's <c>extensions.durableTask.storageProvider.maxQueuePollingInterval</c> (tests poll faster).</summary>
    public TimeSpan? MaxQueuePollingInterval { get; init; }

    /// <summary>
    /// Overrides host.json's <c>controlQueueVisibilityTimeout</c> (and the work-item queue's), below the extension's
    /// 1-minute floor if need be: crash tests shorten it. See <see cref="Engine.DurableEngineSettings.ControlQueueVisibilityTimeout"/>. Also how long a message taken by a queue
    /// trigger stays hidden from other hosts while its function runs (renewed until it ends): after a crash, it comes back then.
    /// </summary>
    public TimeSpan? QueueVisibilityTimeout { get; init; }

    /// <summary>The engine's worker id. Null: LocalHost:WorkerId, else a new unique one (<see cref="Engine.DurableEngineSettings.NewWorkerId"/>).</summary>
    public string? WorkerId { get; init; }

    public string[] Args { get; init; } = [];

    /// <summary>Progress lines while starting ("Starting the Durable Task engine ...").</summary>
    public Action<string>? Progress { get; init; }

    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
