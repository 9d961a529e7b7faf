namespace QueueFunctions.LocalHost.Engine;

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
