namespace QueueFunctions.LocalHost.Hosting;

/// <summary>Configuration keys read by the local host.</summary>
public static class LocalHostConfigKeys
{
    public const string Urls = "LocalHost:Urls";
    public const string FunctionKey = "LocalHost:FunctionKey";
    public const string MasterKey = "LocalHost:MasterKey";
    public const string TaskHub = "LocalHost:TaskHub";
    public const string StorageConnectionString = "LocalHost:StorageConnectionString";
    public const string MaxQueuePollingIntervalMs = "LocalHost:MaxQueuePollingIntervalMs";
    public const string PartitionCount = "LocalHost:PartitionCount";
    public const string WebRoot = "LocalHost:WebRoot";
    public const string QueueVisibilityTimeoutSeconds = "LocalHost:QueueVisibilityTimeoutSeconds";
    public const string WorkerId = "LocalHost:WorkerId";
    public const string LeaseIntervalSeconds = "LocalHost:LeaseIntervalSeconds";
    public const string LeaseRenewIntervalSeconds = "LocalHost:LeaseRenewIntervalSeconds";
    public const string UseTablePartitionManagement = "LocalHost:UseTablePartitionManagement";
    public const string FailureBackoffSeconds = "LocalHost:FailureBackoffSeconds";
    public const string HostJsonPath = "LocalHost:HostJsonPath";

    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>Key accepted for Function-level routes in local development when none is configured. Not for any deployed use.</summary>
    public const string DefaultFunctionKey = "local-dev-function-key";
    public const string DefaultTaskHub = "clinicqueuelocal";
}
