using QueueFunctions.Benchmarks.Shared.Storage;

/// <summary>
/// A .NET startup hook (DOTNET_STARTUP_HOOKS) that the multi-instance cases load into each app instance they start
/// as a separate process: it counts that process's storage requests with the same <see cref="StorageRequestCounter"/>
/// and prints the running totals on stdout, which the benchmark reads. The app and the local host stay unchanged.
/// The runtime looks the hook up by this exact name, in no namespace.
/// </summary>
internal static class StartupHook
{
    public static void Initialize() => StorageCounterHook.Start();
}

namespace QueueFunctions.Benchmarks.Shared.Storage
{
    public static class StorageCounterHook
    {
        /// <summary>Environment variable with the storage connection string, to tell blob, queue and table apart.</summary>
        public const string StorageVariable = "QUEUE_BENCH_STORAGE";

        /// <summary>Prefix of the lines printed by the hook: the totals follow, as <see cref="StorageRequests.ToLine"/>.</summary>
        public const string LinePrefix = "@@bench-storage-requests ";

        static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
        static StorageRequestCounter? counter;
        static Timer? timer;

        public static void Start()
        {
            counter = new StorageRequestCounter(new StorageEndpoints(Environment.GetEnvironmentVariable(StorageVariable)));
            timer = new Timer(_ => Console.Out.WriteLine(LinePrefix + counter.Snapshot().ToLine()), null, TimeSpan.Zero, Every);
        }
    }
}
