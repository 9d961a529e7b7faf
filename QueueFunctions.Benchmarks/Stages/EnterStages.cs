using QueueFunctions.Benchmarks.Load;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>A stage of one enter. Sub-stages are part of the stage above them and are not added to the total again.</summary>
public sealed record Stage(string Key, string Label, bool Sub = false)
{
    public static readonly Stage Http = new("http", "1. HTTP in, body parsed, visit lookup, until the signal leaves");
    public static readonly Stage Visit = new("visit", "of which the visit lookup (instance read)", Sub: true);
    public static readonly Stage Signal = new("signal", "2. signal: the control-queue message put");
    public static readonly Stage Pickup = new("pickup", "3. until the engine dequeues it (control-queue polling)");
    public static readonly Stage Load = new("load", "4a. queued in the engine, entity state loaded (history read)");
    public static readonly Stage Run = new("run", "4b. the entity batch runs (with its send to queue-events)");
    public static readonly Stage Checkpoint = new("checkpoint", "4c. checkpoint until the new state is readable (+ message delete after it)");
    public static readonly Stage Watch = new("watch", "5a. the clinic watcher reads the new state (storage: all its reads while the request waits)");
    public static readonly Stage Answer = new("answer", "5b. the answer goes back to the client");
    public static readonly Stage Total = new("total", "total: client send -> answer");

    public static IReadOnlyList<Stage> All { get; } = [Http, Visit, Signal, Pickup, Load, Run, Checkpoint, Watch, Answer, Total];
}

/// <summary>Where one enter's time and storage requests went.</summary>
/// <param name="SharedBatch">The entity batch that ran this enter also ran other operations (the publisher's outbox calls).</param>
/// <param name="QueuedBehind">The message arrived while the entity was busy with another batch.</param>
/// <param name="StateInBlob">The entity's state was too large for its table row, so the checkpoint wrote it to a blob.</param>
public sealed record EnterBreakdown(
    string User,
    IReadOnlyDictionary<string, double> Ms,
    IReadOnlyDictionary<string, StorageMix> Storage,
    bool SharedBatch,
    bool QueuedBehind,
    bool StateInBlob,
    int StateLength,
    IReadOnlySet<StorageCall> Used);

/// <summary>
/// Draws the stage boundaries of one enter from the engine's events and the storage requests around it: the client's
/// signal is the message with no sending instance addressed to the clinic's entity, and its sequence number follows
/// it through the dequeue, the batch that ran it and the delete.
/// </summary>
public static class EnterStages
{
    public static EnterBreakdown? Analyze(
        EnterSample enter, string entity, IReadOnlyList<EngineEvent> events, IReadOnlyList<StorageCall> calls,
        IReadOnlyDictionary<StorageCall, CallOwner> owners, IReadOnlyList<EntityBatch> batches)
    {
        var signal = events.FirstOrDefault(e => e.Name == "SendingMessage" && string.IsNullOrEmpty(e.InstanceId)
            && e["TargetInstanceId"] == entity && e.At >= enter.SentAt && e.At <= enter.DoneAt);
        if (signal is null || CallAttribution.Sequence(signal) is not { } sequence)
        {
            return null;
        }

        var put = calls.FirstOrDefault(c => owners[c] is { Role: CallRole.ClientSend } o && o.Sequence == sequence && c.End != 0);
        var received = events.FirstOrDefault(e => e.Name == "ReceivedMessage" && e.InstanceId == entity && CallAttribution.Sequence(e) == sequence);
        var processing = events.FirstOrDefault(e => e.Name == "ProcessingMessage" && e.InstanceId == entity && CallAttribution.Sequence(e) == sequence);
        var batch = batches.FirstOrDefault(b => b.Sequences.Contains(sequence));
        if (put is null || received is null || processing is null || batch is null)
        {
            return null;
        }

        var confirm = events.LastOrDefault(e => e.Name == "FetchedInstanceStatus" && e.InstanceId == entity && e.At >= batch.Visible && e.At <= enter.DoneAt);
        var confirmedAt = confirm?.At ?? enter.DoneAt;
        var controlQueue = put.Path.Split('/')[0];

        bool Within(StorageCall c, long from, long to) => c.Start >= from && c.Start <= to;
        var visitReads = calls.Where(c => owners[c] is { Role: CallRole.StatusRead } o && o.Instance?.StartsWith("visit-", StringComparison.Ordinal) == true
            && Within(c, enter.SentAt, put.Start)).ToList();
        var polls = calls.Where(c => owners[c] is { Role: CallRole.Poll } o && o.Instance == controlQueue && Within(c, put.End, received.At)).ToList();
        var load = calls.Where(c => owners[c] is { Role: CallRole.Instance } o && o.Batch is not null && ReferenceEquals(o.Batch, batch.Fetched)).ToList();
        var checkpoint = calls.Where(c => owners[c] is { Role: CallRole.Instance, Batch: null } o && o.Instance == entity
            && (c.Path.Contains("/messages/", StringComparison.Ordinal)
                ? o.Sequence is { } deleted && batch.Sequences.Contains(deleted)
                : Within(c, batch.Executed, batch.Completed))).ToList();
        var watch = calls.Where(c => owners[c] is { Role: CallRole.StatusRead } o && o.Instance == entity && Within(c, put.Start, enter.DoneAt)).ToList();

        var ms = Durations(enter, put, received, processing, batch, confirmedAt, visitReads);
        var storage = StorageByStage(put, visitReads, polls, load, checkpoint, watch);
        HashSet<StorageCall> used = new(ReferenceEqualityComparer.Instance);
        used.UnionWith([.. visitReads, put, .. polls, .. load, .. checkpoint, .. watch]);
        storage[Stage.Total.Key] = StorageMix.Of(used);

        var queuedBehind = batches.Any(b => !ReferenceEquals(b, batch) && b.Executing <= received.At && received.At <= b.Completed);
        var inBlob = checkpoint.Any(c => c.Service == StorageService.Blob && !c.IsRead);
        return new EnterBreakdown(enter.User, ms, storage, batch.Sequences.Count > 1, queuedBehind, inBlob, batch.StateLength, used);
    }

    static Dictionary<string, double> Durations(
        EnterSample enter, StorageCall put, EngineEvent received, EngineEvent processing, EntityBatch batch, long confirmedAt, List<StorageCall> visitReads) =>
        new()
        {
            [Stage.Http.Key] = Measure.Ms(enter.SentAt, put.Start),
            [Stage.Visit.Key] = visitReads.Sum(c => c.Ms),
            [Stage.Signal.Key] = put.Ms,
            [Stage.Pickup.Key] = Measure.Ms(put.End, received.At),
            [Stage.Load.Key] = Measure.Ms(received.At, processing.At),
            [Stage.Run.Key] = Measure.Ms(processing.At, batch.Executed),
            [Stage.Checkpoint.Key] = Measure.Ms(batch.Executed, batch.Visible),
            [Stage.Watch.Key] = Measure.Ms(batch.Visible, confirmedAt),
            [Stage.Answer.Key] = Measure.Ms(confirmedAt, enter.DoneAt),
            [Stage.Total.Key] = enter.Ms,
        };

    static Dictionary<string, StorageMix> StorageByStage(
        StorageCall put, List<StorageCall> visitReads, List<StorageCall> polls, List<StorageCall> load, List<StorageCall> checkpoint, List<StorageCall> watch) =>
        new()
        {
            [Stage.Http.Key] = StorageMix.Of(visitReads),
            [Stage.Visit.Key] = StorageMix.Of(visitReads),
            [Stage.Signal.Key] = StorageMix.Of([put]),
            [Stage.Pickup.Key] = StorageMix.Of(polls),
            [Stage.Load.Key] = StorageMix.Of(load),
            [Stage.Run.Key] = StorageMix.None,
            [Stage.Checkpoint.Key] = StorageMix.Of(checkpoint),
            [Stage.Watch.Key] = StorageMix.Of(watch),
            [Stage.Answer.Key] = StorageMix.None,
        };
}
