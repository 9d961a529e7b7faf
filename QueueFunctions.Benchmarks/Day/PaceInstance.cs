using QueueFunctions.Benchmarks.Shared.Storage;

namespace QueueFunctions.Benchmarks.Day;

/// <summary>One app instance of the day's pace, on either host.</summary>
/// <param name="Owner">Whether a worker id from the task hub's partition table is this instance's.</param>
/// <param name="NextStorage">Its storage requests so far, counted from the next report on; null where they are not counted.</param>
public sealed record PaceInstance(int Index, Uri BaseAddress, Func<string, bool> Owner, Func<CancellationToken, Task<StorageRequests>>? NextStorage, IAsyncDisposable Process);
