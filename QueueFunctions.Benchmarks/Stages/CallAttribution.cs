using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>Who a storage request was made for.</summary>
public enum CallRole
{
    /// <summary>A dequeue attempt on a queue (engine or queue trigger): what an idle app does all the time.</summary>
    Poll,

    /// <summary>Partition leases and timer locks: idle housekeeping.</summary>
    Lease,

    /// <summary>A client-side read of an instance's status (the watcher, the visit lookup); <see cref="CallOwner.Instance"/> says whose.</summary>
    StatusRead,

    /// <summary>A message put by a client (no sending instance): the enter's signal.</summary>
    ClientSend,

    /// <summary>Work of an entity or orchestration instance's batch: history read and append, instance row, messages it sends and deletes.</summary>
    Instance,

    /// <summary>The publisher's send activity putting events on the queue-events queue.</summary>
    EventsSend,

    /// <summary>The history recorder (queue trigger on queue-events): message delete and update, history table writes.</summary>
    Recorder,

    Other,
}

/// <param name="Instance">The instance the request was for, when the engine's events tell.</param>
/// <param name="Sequence">For a message put or delete, the engine's sequence number of that message.</param>
/// <param name="Batch">For history reads: the engine event that reported them (the start of a batch).</param>
public sealed record CallOwner(CallRole Role, string? Instance = null, long? Sequence = null, EngineEvent? Batch = null);

/// <summary>
/// Tells who made each storage request, from the request itself (queue, table, row key, message id) and the engine's
/// own events around it. The engine logs a message send just before the put, and a history read, history append or
/// status read just after its request ends; a message delete carries the message id that is in the request's path.
/// </summary>
public static class CallAttribution
{
    static readonly double MatchWindowMs = 1000;

    public static Dictionary<StorageCall, CallOwner> Assign(IReadOnlyList<StorageCall> calls, IReadOnlyList<EngineEvent> events, string hub, string historyTable)
    {
        var owners = new Dictionary<StorageCall, CallOwner>(ReferenceEqualityComparer.Instance);
        var deleted = DeletedMessages(events);
        var pending = new Pending();
        foreach (var call in calls)
        {
            if (OwnerByItself(call, hub, historyTable, deleted, pending) is { } owner)
            {
                owners[call] = owner;
            }
        }

        MatchSends(pending.Puts, events, owners);

        // Reads and appends are logged just after their request ends: the latest such request before the event.
        var reads = new Dictionary<EngineEvent, CallOwner>(ReferenceEqualityComparer.Instance);
        MatchBefore(pending.HistoryReads, events.Where(e => e.Name == "FetchedInstanceHistory"), e => int.TryParse(e["RequestCount"], out var n) ? n : 1,
            e => new CallOwner(CallRole.Instance, e.InstanceId, Batch: e), owners, reads);
        MatchBefore(pending.Appends, events.Where(e => e.Name == "AppendedInstanceHistory"), _ => 1, e => new CallOwner(CallRole.Instance, e.InstanceId), owners, reads);
        MatchBefore(pending.StatusReads, events.Where(e => e.Name == "FetchedInstanceStatus"), _ => 1, e => new CallOwner(CallRole.StatusRead, e.InstanceId), owners, reads);

        MatchLargeReads(pending.LargeReads, reads, owners);
        return owners;
    }

    /// <summary>Requests whose owner only the engine's events can tell, by kind.</summary>
    sealed class Pending
    {
        public List<StorageCall> Puts { get; } = [];
        public List<StorageCall> HistoryReads { get; } = [];
        public List<StorageCall> Appends { get; } = [];
        public List<StorageCall> StatusReads { get; } = [];
        public List<StorageCall> LargeReads { get; } = [];
    }

    /// <summary>The messages the engine deleted or received, by id: a delete request names the message in its path.</summary>
    static Dictionary<string, EngineEvent> DeletedMessages(IReadOnlyList<EngineEvent> events)
    {
        var deleted = new Dictionary<string, EngineEvent>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.Name is "DeletingMessage" or "ReceivedMessage"))
        {
            if (e["MessageId"] is { } id)
            {
                deleted.TryAdd(id, e);
            }
        }

        return deleted;
    }

    /// <summary>The owner the request shows by itself; null when it waits in <paramref name="pending"/> for the engine's events.</summary>
    static CallOwner? OwnerByItself(StorageCall call, string hub, string historyTable, Dictionary<string, EngineEvent> deleted, Pending pending)
    {
        var largeMessages = hub.ToLowerInvariant() + "-largemessages";
        var (resource, rest) = Split(call.Path);
        var engineQueue = resource.StartsWith(hub + "-control-", StringComparison.Ordinal) || resource == hub + "-workitems";
        switch (call.Service)
        {
            case StorageService.Queue when call.Method == "GET":
                return new CallOwner(CallRole.Poll, resource);
            case StorageService.Queue when engineQueue && call.Method == "POST":
                pending.Puts.Add(call);
                return null;
            case StorageService.Queue when engineQueue && rest.StartsWith("messages/", StringComparison.Ordinal):
                return deleted.TryGetValue(rest["messages/".Length..], out var message)
                    ? new CallOwner(CallRole.Instance, message.InstanceId, Sequence(message))
                    : new CallOwner(CallRole.Other);
            case StorageService.Queue when resource == QueueEventsQueue.Name:
                return new CallOwner(call.Method == "POST" ? CallRole.EventsSend : CallRole.Recorder);
            case StorageService.Table when resource == hub + "History" && call.IsRead:
                pending.HistoryReads.Add(call);
                return null;
            case StorageService.Table when resource == "$batch":
                pending.Appends.Add(call);
                return null;
            case StorageService.Table when resource == hub + "Instances" && call.IsRead && !rest.Contains("PartitionKey", StringComparison.Ordinal):
                pending.StatusReads.Add(call);
                return null;
            case StorageService.Table when resource.StartsWith(hub + "Instances(", StringComparison.Ordinal):
                return new CallOwner(CallRole.Instance, KeyOf(resource));
            case StorageService.Blob when resource == largeMessages && call.IsRead:
                pending.LargeReads.Add(call);
                return null;
            case StorageService.Blob when resource == largeMessages:
                return new CallOwner(CallRole.Instance, rest.Split('/')[0]);
            case StorageService.Table when resource.StartsWith(hub + "Partitions", StringComparison.Ordinal):
            case StorageService.Blob:
                return new CallOwner(CallRole.Lease);
            case StorageService.Table when resource.StartsWith(historyTable, StringComparison.Ordinal):
                return new CallOwner(CallRole.Recorder);
            default:
                return new CallOwner(CallRole.Other);
        }
    }

    /// <summary>A send is logged just before its put: the first put on that queue from then on.</summary>
    static void MatchSends(List<StorageCall> puts, IReadOnlyList<EngineEvent> events, Dictionary<StorageCall, CallOwner> owners)
    {
        var unmatchedPuts = puts.OrderBy(c => c.Start).ToList();
        foreach (var send in events.Where(e => e.Name == "SendingMessage"))
        {
            var queue = send["PartitionId"];
            var put = unmatchedPuts.FirstOrDefault(c => c.Start >= send.At && Split(c.Path).Resource == queue && Measure.Ms(send.At, c.Start) < MatchWindowMs);
            if (put is not null)
            {
                unmatchedPuts.Remove(put);
                owners[put] = string.IsNullOrEmpty(send.InstanceId)
                    ? new CallOwner(CallRole.ClientSend, send["TargetInstanceId"], Sequence(send))
                    : new CallOwner(CallRole.Instance, send.InstanceId, Sequence(send));
            }
        }

        foreach (var put in unmatchedPuts)
        {
            owners[put] = new CallOwner(CallRole.Other);
        }
    }

    /// <summary>A state too large for its table row lives in a blob, downloaded after the row and before the read is logged.</summary>
    static void MatchLargeReads(List<StorageCall> largeReads, Dictionary<EngineEvent, CallOwner> reads, Dictionary<StorageCall, CallOwner> owners)
    {
        var readEvents = reads.Keys.Where(e => e.Name is "FetchedInstanceHistory" or "FetchedInstanceStatus").OrderBy(e => e.At).ToList();
        foreach (var blob in largeReads)
        {
            var instance = Split(blob.Path).Remainder.Split('/')[0];
            var read = readEvents.FirstOrDefault(e => e.InstanceId == instance && blob.End != 0 && e.At >= blob.End && Measure.Ms(blob.End, e.At) < MatchWindowMs);
            owners[blob] = read is not null ? reads[read] : new CallOwner(CallRole.Instance, instance);
        }
    }

    public static long? Sequence(EngineEvent e) => long.TryParse(e["SequenceNumber"], out var n) ? n : null;

    static void MatchBefore(
        List<StorageCall> candidates, IEnumerable<EngineEvent> events, Func<EngineEvent, int> count, Func<EngineEvent, CallOwner> owner,
        Dictionary<StorageCall, CallOwner> owners, Dictionary<EngineEvent, CallOwner> reads)
    {
        var open = candidates.Where(c => c.End != 0).OrderBy(c => c.End).ToList();
        foreach (var e in events)
        {
            for (var i = 0; i < count(e); i++)
            {
                var match = open.LastOrDefault(c => c.End <= e.At && Measure.Ms(c.End, e.At) < MatchWindowMs);
                if (match is null)
                {
                    break;
                }

                open.Remove(match);
                owners[match] = reads[e] = owner(e);
            }
        }

        foreach (var call in candidates.Where(c => !owners.ContainsKey(c)))
        {
            owners[call] = new CallOwner(CallRole.Other);
        }
    }

    /// <summary>"hub-control-01/messages" -> ("hub-control-01", "messages"); "hubInstances()" -> ("hubInstances", "()").</summary>
    static (string Resource, string Remainder) Split(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            return (path[..slash], path[(slash + 1)..]);
        }

        var paren = path.IndexOf("()", StringComparison.Ordinal);
        return paren >= 0 ? (path[..paren], path[paren..]) : (path, path.Contains("PartitionKey", StringComparison.Ordinal) ? path : "");
    }

    /// <summary>"hubInstances(PartitionKey='@clinicqueue@lab',RowKey='')" -> "@clinicqueue@lab".</summary>
    static string? KeyOf(string resource)
    {
        const string Marker = "PartitionKey='";
        var start = resource.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Marker.Length;
        var end = resource.IndexOf('\'', start);
        return end > start ? resource[start..end] : null;
    }
}
