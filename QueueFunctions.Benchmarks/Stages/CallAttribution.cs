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
        var deleted = new Dictionary<string, EngineEvent>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.Name is "DeletingMessage" or "ReceivedMessage"))
        {
            if (e["MessageId"] is { } id)
            {
                deleted.TryAdd(id, e);
            }
        }

        var puts = new List<StorageCall>();
        var historyReads = new List<StorageCall>();
        var appends = new List<StorageCall>();
        var statusReads = new List<StorageCall>();
        var largeReads = new List<StorageCall>();
        var largeMessages = hub.ToLowerInvariant() + "-largemessages";
        foreach (var call in calls)
        {
            var (resource, rest) = Split(call.Path);
            var engineQueue = resource.StartsWith(hub + "-control-", StringComparison.Ordinal) || resource == hub + "-workitems";
            switch (call.Service)
            {
                case StorageService.Queue when call.Method == "GET":
                    owners[call] = new CallOwner(CallRole.Poll, resource);
                    break;
                case StorageService.Queue when engineQueue && call.Method == "POST":
                    puts.Add(call);
                    break;
                case StorageService.Queue when engineQueue && rest.StartsWith("messages/", StringComparison.Ordinal):
                    owners[call] = deleted.TryGetValue(rest["messages/".Length..], out var message)
                        ? new CallOwner(CallRole.Instance, message.InstanceId, Sequence(message))
                        : new CallOwner(CallRole.Other);
                    break;
                case StorageService.Queue when resource == QueueEventsQueue.Name:
                    owners[call] = new CallOwner(call.Method == "POST" ? CallRole.EventsSend : CallRole.Recorder);
                    break;
                case StorageService.Table when resource == hub + "History" && call.IsRead:
                    historyReads.Add(call);
                    break;
                case StorageService.Table when resource == "$batch":
                    appends.Add(call);
                    break;
                case StorageService.Table when resource == hub + "Instances" && call.IsRead && !rest.Contains("PartitionKey", StringComparison.Ordinal):
                    statusReads.Add(call);
                    break;
                case StorageService.Table when resource.StartsWith(hub + "Instances(", StringComparison.Ordinal):
                    owners[call] = new CallOwner(CallRole.Instance, KeyOf(resource));
                    break;
                case StorageService.Blob when resource == largeMessages && call.IsRead:
                    largeReads.Add(call);
                    break;
                case StorageService.Blob when resource == largeMessages:
                    owners[call] = new CallOwner(CallRole.Instance, rest.Split('/')[0]);
                    break;
                case StorageService.Table when resource.StartsWith(hub + "Partitions", StringComparison.Ordinal):
                case StorageService.Blob:
                    owners[call] = new CallOwner(CallRole.Lease);
                    break;
                case StorageService.Table when resource.StartsWith(historyTable, StringComparison.Ordinal):
                    owners[call] = new CallOwner(CallRole.Recorder);
                    break;
                default:
                    owners[call] = new CallOwner(CallRole.Other);
                    break;
            }
        }

        // A send is logged just before its put: the first put on that queue from then on.
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

        // Reads and appends are logged just after their request ends: the latest such request before the event.
        var reads = new Dictionary<EngineEvent, CallOwner>(ReferenceEqualityComparer.Instance);
        MatchBefore(historyReads, events.Where(e => e.Name == "FetchedInstanceHistory"), e => int.TryParse(e["RequestCount"], out var n) ? n : 1,
            e => new CallOwner(CallRole.Instance, e.InstanceId, Batch: e), owners, reads);
        MatchBefore(appends, events.Where(e => e.Name == "AppendedInstanceHistory"), _ => 1, e => new CallOwner(CallRole.Instance, e.InstanceId), owners, reads);
        MatchBefore(statusReads, events.Where(e => e.Name == "FetchedInstanceStatus"), _ => 1, e => new CallOwner(CallRole.StatusRead, e.InstanceId), owners, reads);

        // A state too large for its table row lives in a blob, downloaded after the row and before the read is logged.
        var readEvents = reads.Keys.Where(e => e.Name is "FetchedInstanceHistory" or "FetchedInstanceStatus").OrderBy(e => e.At).ToList();
        foreach (var blob in largeReads)
        {
            var instance = Split(blob.Path).Remainder.Split('/')[0];
            var read = readEvents.FirstOrDefault(e => e.InstanceId == instance && blob.End != 0 && e.At >= blob.End && Measure.Ms(blob.End, e.At) < MatchWindowMs);
            owners[blob] = read is not null ? reads[read] : new CallOwner(CallRole.Instance, instance);
        }

        return owners;
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
