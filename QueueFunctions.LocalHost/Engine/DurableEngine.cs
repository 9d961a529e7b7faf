using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Functions;

namespace QueueFunctions.LocalHost.Engine;

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
