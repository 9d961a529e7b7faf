using DurableTask.AzureStorage;

namespace QueueFunctions.LocalHost.Engine;

/// <summary>
/// The storage provider's settings from host.json as the Durable extension's Azure Storage factory derives them
/// (AzureStorageDurabilityProviderFactory.GetAzureStorageOrchestrationServiceSettings in 3.18.0, which is internal: this
/// follows its list of assignments). What depends on where the host runs (storage account, worker id, leases, logging)
/// is left to <see cref="DurableEngine"/>.
/// </summary>
static class ExtensionServiceSettings
{
    public static AzureStorageOrchestrationServiceSettings Create(DurableExtensionSettings extension)
    {
        var options = extension.Options;
        var storage = extension.Storage;
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            PartitionCount = storage.PartitionCount,
            ControlQueueBatchSize = storage.ControlQueueBatchSize,
            ControlQueueBufferThreshold = storage.ControlQueueBufferThreshold,
            ControlQueueVisibilityTimeout = storage.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = storage.WorkItemQueueVisibilityTimeout,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestratorFunctions!.Value,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivityFunctions!.Value,
            MaxConcurrentTaskEntityWorkItems = options.MaxConcurrentEntityFunctions!.Value,
            ExtendedSessionsEnabled = options.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(Math.Max(options.ExtendedSessionIdleTimeoutInSeconds, 0)),
            MaxQueuePollingInterval = storage.MaxQueuePollingInterval,
            FetchLargeMessageDataEnabled = storage.FetchLargeMessagesAutomatically,
            ThrowExceptionOnInvalidDedupeStatus = true,
            UseLegacyPartitionManagement = storage.UseLegacyPartitionManagement,
            UseTablePartitionManagement = storage.UseTablePartitionManagement,

            // The isolated worker's entities run as entity work items on their own queue, as the extension sets for it.
            UseSeparateQueueForEntityWorkItems = true,
            EntityMessageReorderWindowInMinutes = options.EntityMessageReorderWindowInMinutes,
            MaxEntityOperationBatchSize = options.MaxEntityOperationBatchSize,
#pragma warning disable CS0618 // Obsolete in the extension, still passed on by its factory.
            AllowReplayingTerminalInstances = storage.AllowReplayingTerminalInstances,
#pragma warning restore CS0618
            PartitionTableOperationTimeout = storage.PartitionTableOperationTimeout,
            QueueClientMessageEncoding = storage.QueueClientMessageEncoding,
            UseInstanceTableEtag = storage.UseInstanceTableEtag,
        };
        if (!string.IsNullOrEmpty(storage.TrackingStoreNamePrefix))
        {
            settings.TrackingStoreNamePrefix = storage.TrackingStoreNamePrefix;
        }

        return settings;
    }
}
