using System.Diagnostics.Tracing;

namespace QueueFunctions.Benchmarks.Shared.Storage;

/// <summary>
/// Counts every Azure Storage request made in this process, whoever makes it: the Durable Task engine's Azure
/// Storage provider and the app's own queue and table clients are all Azure.Core SDK clients, and Azure.Core writes
/// a "Request" event to its "Azure-Core" event source for every attempt it sends (retries included), which is what
/// storage bills as a transaction.
/// </summary>
public sealed class StorageRequestCounter : EventListener
{
    public const string SourceName = "Azure-Core";
    const string RequestEvent = "Request";

    // Set after the base constructor, which may already deliver events: until then a request counts as Other.
    volatile StorageEndpoints? endpoints;
    long blobReads, blobWrites, queueReads, queueWrites, table, other;

    public StorageRequestCounter(StorageEndpoints endpoints) => this.endpoints = endpoints;

    public StorageRequests Snapshot() => new(
        Interlocked.Read(ref blobReads), Interlocked.Read(ref blobWrites), Interlocked.Read(ref queueReads),
        Interlocked.Read(ref queueWrites), Interlocked.Read(ref table), Interlocked.Read(ref other));

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Informational is the level of the Request event; nothing more verbose (no bodies) is asked for.
        if (eventSource.Name == SourceName)
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != RequestEvent)
        {
            return;
        }

        var method = Payload(eventData, "method");
        var service = endpoints?.ServiceOf(Payload(eventData, "uri")) ?? StorageService.Other;
        var read = method is "GET" or "HEAD";
        switch (service)
        {
            case StorageService.Blob:
                Interlocked.Increment(ref read ? ref blobReads : ref blobWrites);
                break;
            case StorageService.Queue:
                Interlocked.Increment(ref read ? ref queueReads : ref queueWrites);
                break;
            case StorageService.Table:
                Interlocked.Increment(ref table);
                break;
            default:
                Interlocked.Increment(ref other);
                break;
        }
    }

    /// <summary>A string field of an Azure.Core event, by name; shared with the stage trace.</summary>
    internal static string? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 && e.Payload is { } payload && index < payload.Count ? payload[index] as string : null;
    }
}
