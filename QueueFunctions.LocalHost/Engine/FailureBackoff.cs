using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Entities;

namespace QueueFunctions.LocalHost.Engine;

/// <summary>
/// The engine's storage service, with its own pause after a failed work item replaced. DurableTask.Core asks the service
/// how long a dispatcher should wait after a work item fails, and then waits that long before every fetch until five work
/// items in a row have succeeded; the Azure Storage provider answers a fixed 10 s. After a storage outage, one fetch
/// per 10 s for about a minute is what a clinic's entities then get. Everything else goes to the service unchanged.
/// </summary>
sealed class FailureBackoff(AzureStorageOrchestrationService service, TimeSpan pause) : IEntityOrchestrationService
{
    int Seconds => (int)Math.Ceiling(pause.TotalSeconds);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => Math.Min(Seconds, service.GetDelayInSecondsAfterOnProcessException(exception));

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => Math.Min(Seconds, service.GetDelayInSecondsAfterOnFetchException(exception));

    public EntityBackendProperties? EntityBackendProperties => ((IEntityOrchestrationService)service).EntityBackendProperties;

    public EntityBackendQueries? EntityBackendQueries => ((IEntityOrchestrationService)service).EntityBackendQueries;

    public int TaskOrchestrationDispatcherCount => service.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => service.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => service.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => service.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => service.MaxConcurrentTaskActivityWorkItems;

    public Task<TaskOrchestrationWorkItem> LockNextOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        ((IEntityOrchestrationService)service).LockNextOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task<TaskOrchestrationWorkItem> LockNextEntityWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        ((IEntityOrchestrationService)service).LockNextEntityWorkItemAsync(receiveTimeout, cancellationToken);

    public Task StartAsync() => service.StartAsync();

    public Task StopAsync() => service.StopAsync();

    public Task StopAsync(bool isForced) => service.StopAsync(isForced);

    public Task CreateAsync() => service.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => service.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => service.CreateIfNotExistsAsync();

    public Task DeleteAsync() => service.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => service.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        service.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => service.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        service.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => service.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => service.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        service.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => service.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        service.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => service.AbandonTaskActivityWorkItemAsync(workItem);
}
