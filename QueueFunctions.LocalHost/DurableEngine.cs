using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.LocalHost;

/// <summary>Settings of the Durable Task engine run by the local host.</summary>
public sealed record DurableEngineSettings
{
    public required string StorageConnectionString { get; init; }

    /// <summary>Azure Storage task hub name: 3-45 letters and digits, starting with a letter.</summary>
    public string TaskHubName { get; init; } = "clinicqueuelocal";

    /// <summary>
    /// host.json's <c>extensions.durableTask</c> as the extension binds it: every engine setting it derives from host.json
    /// (<see cref="ExtensionServiceSettings"/>), under the ones below, which the local host may set explicitly.
    /// </summary>
    public DurableExtensionSettings Extension { get; init; } = DurableExtensionSettings.Defaults();

    /// <summary>Longest wait between two polls of an idle queue (host.json's <c>maxQueuePollingInterval</c> unless set locally).</summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int PartitionCount { get; init; } = 4;

    /// <summary>
    /// How long a dequeued control-queue message stays invisible. After a crash, the messages the dead process had
    /// taken come back only when this expires (host.json: 1 minute, the least the extension accepts); tests of crashes
    /// shorten it locally.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The same for activity work items. Null: <see cref="ControlQueueVisibilityTimeout"/>, so one local setting shortens both.</summary>
    public TimeSpan? WorkItemQueueVisibilityTimeout { get; init; }

    /// <summary>
    /// Which worker owns which control queues. Two hosts sharing one would both take the same partitions (split brain),
    /// so it is unique per engine by default, and a host started after a crash is a new worker, as on Azure.
    /// </summary>
    public string WorkerId { get; init; } = NewWorkerId();

    /// <summary>
    /// How long a partition lease lasts without renewal (engine default 30 s): after a crash, the dead worker's
    /// partitions, and so its clinics, move to another worker only once it expires.
    /// </summary>
    public TimeSpan LeaseInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often held leases are renewed, and how often a worker looks for partitions to take (engine default 10 s each).</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Partition leases in a table instead of blobs, as the Durable Functions extension 3.x does by default: the same
    /// partition management as on Azure.
    /// </summary>
    public bool UseTablePartitionManagement { get; init; } = true;

    /// <summary>
    /// The local host's pause after a failed work item. The provider's own 10 s, applied before every fetch until five
    /// work items in a row succeed, holds a clinic's entity to one batch per 10 s for about a minute after storage comes
    /// back (docs/HOST-SETTINGS.md); at 1 s the first enter succeeds within about 3 s of storage returning, and a
    /// dispatcher that fails every second still costs storage almost nothing.
    /// </summary>
    public static readonly TimeSpan DefaultFailureBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a dispatcher pauses before each fetch after a work item failed, until five in a row succeed (whole
    /// seconds, at most the provider's 10). Null: the Azure Storage provider's own 10 s, which is what the Functions host
    /// runs with on Azure.
    /// </summary>
    public TimeSpan? FailureBackoff { get; init; }

    /// <summary>Machine, process and a random part: distinct for two hosts in one process as well.</summary>
    public static string NewWorkerId() => $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>
/// The real Durable Task engine (DurableTask.Core <see cref="TaskHubWorker"/> over
/// <see cref="AzureStorageOrchestrationService"/>), running the app's entities, orchestrators and activities.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    readonly DurableEngineSettings settings;
    AzureStorageOrchestrationService? service;
    TaskHubWorker? worker;
    EngineDurableTaskClient? client;

    public DurableEngine(DurableEngineSettings settings) => this.settings = settings;

    /// <summary>The one data converter used on both sides (client and worker): System.Text.Json.</summary>
    public static DataConverter DataConverter => JsonDataConverter.Default;

    public DurableEngineSettings Settings => settings;

    public EngineDurableTaskClient Client =>
        client ?? throw new InvalidOperationException("The Durable Task engine has not been started yet.");

    public async Task StartAsync(FunctionCatalog catalog, IServiceProvider services, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        AzureStorageOrchestrationServiceSettings serviceSettings = ExtensionServiceSettings.Create(settings.Extension);
        serviceSettings.StorageAccountClientProvider = new StorageAccountClientProvider(settings.StorageConnectionString);
        serviceSettings.TaskHubName = settings.TaskHubName;
        serviceSettings.MaxQueuePollingInterval = settings.MaxQueuePollingInterval;
        serviceSettings.PartitionCount = settings.PartitionCount;
        serviceSettings.WorkerId = settings.WorkerId;
        serviceSettings.LeaseInterval = settings.LeaseInterval;
        serviceSettings.LeaseRenewInterval = settings.LeaseRenewInterval;
        serviceSettings.LeaseAcquireInterval = settings.LeaseRenewInterval;
        serviceSettings.UseTablePartitionManagement = settings.UseTablePartitionManagement;

        // The app lease keeps a second app (another name) off a shared task hub; local hosts have no app name, and tests
        // run several hosts of one app on one hub, as Azure's instances of one app do.
        serviceSettings.UseAppLease = false;
        serviceSettings.ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout;
        serviceSettings.WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout ?? settings.ControlQueueVisibilityTimeout;
        serviceSettings.LoggerFactory = loggerFactory;
        service = new AzureStorageOrchestrationService(serviceSettings);
        await service.CreateIfNotExistsAsync();

        IEntityOrchestrationService entityService = service;
        client = new EngineDurableTaskClient(
            service,
            entityService.EntityBackendQueries ?? throw new InvalidOperationException("The storage provider has no entity queries."),
            entityService.EntityBackendProperties ?? throw new InvalidOperationException("The storage provider has no entity support."),
            DataConverter);

        var shims = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { DataConverter = DataConverter, EnableEntitySupport = true },
            loggerFactory);
        IOrchestrationService dispatched = settings.FailureBackoff is { } pause ? new FailureBackoff(service, pause) : service;
        worker = new TaskHubWorker(dispatched, loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        if (catalog.Entities.Count > 0)
        {
            worker.AddTaskEntities(catalog.Entities.Select(e => (ObjectCreator<DurableTask.Core.Entities.TaskEntity>)new EntityCreator(e, services, shims)).ToArray());
        }

        if (catalog.Orchestrators.Count > 0)
        {
            worker.AddTaskOrchestrations(catalog.Orchestrators.Select(o => (ObjectCreator<TaskOrchestration>)new OrchestrationCreator(o, services, shims)).ToArray());
        }

        if (catalog.Activities.Count > 0)
        {
            worker.AddTaskActivities(catalog.Activities.Select(a => (ObjectCreator<TaskActivity>)new ActivityCreator(a, services, shims)).ToArray());
        }

        cancellationToken.ThrowIfCancellationRequested();
        await worker.StartAsync();
    }

    /// <summary>Graceful stop: in-flight work items are allowed to finish.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref worker, null) is { } w)
        {
            await w.StopAsync(isForced: false);
            w.Dispose();
        }
    }

    /// <summary>Abrupt stop, as close to a process crash as one process allows: no drain of in-flight work.</summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref worker, null) is { } w)
        {
            await w.StopAsync(isForced: true);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
