using QueueFunctions.Benchmarks.Load;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>What one case of the stages scenario measured.</summary>
/// <param name="Spacing">Pause between one answer and the next enter; zero: back to back, as scenario 3's one client.</param>
/// <param name="Background">Storage requests the tickets caused after their answer, by who made them, in total.</param>
/// <param name="Polls">Dequeue attempts on every queue during the case (engine and queue trigger), in total.</param>
/// <param name="IdlePolls">The polls an idle app would have made in the same time.</param>
public sealed record StageCase(
    string Name,
    TimeSpan Spacing,
    int IssuedBefore,
    IReadOnlyList<EnterSample> Samples,
    IReadOnlyList<EnterBreakdown> Enters,
    double Seconds,
    IReadOnlyDictionary<string, StorageMix> Background,
    StorageMix Polls,
    double IdlePolls,
    StorageMix Housekeeping,
    int PublisherStarts,
    int Activities,
    int EntityBatches)
{
    public int Tickets => Samples.Count(s => s.Outcome.Status == 200);

    public int StateAtStart => Enters.Count == 0 ? 0 : Enters[0].StateLength;

    public int StateAtEnd => Enters.Count == 0 ? 0 : Enters[^1].StateLength;

    public IEnumerable<double> Ms(Stage stage) => Enters.Select(e => e.Ms[stage.Key]);

    public StorageMix StoragePerTicket(Stage stage) =>
        Enters.Aggregate(StorageMix.None, (sum, e) => sum + e.Storage[stage.Key]).Per(Enters.Count);

    public StorageMix BackgroundPerTicket(string role) => (Background.TryGetValue(role, out var mix) ? mix : StorageMix.None).Per(Tickets);

    public StorageMix BackgroundTotalPerTicket => Background.Values.Aggregate(StorageMix.None, (a, b) => a + b).Per(Tickets);
}

/// <summary>The kinds of after-the-answer work a ticket causes, in the order of the report.</summary>
public static class BackgroundRole
{
    public const string Publisher = "publisher";
    public const string EntityCalls = "entity-calls";
    public const string Activity = "activity";
    public const string Recorder = "recorder";
    public const string Other = "other";

    public static IReadOnlyList<(string Key, string Label)> All { get; } =
    [
        (Publisher, "publisher orchestration: start, replays (history read + append + instance row), its messages"),
        (EntityCalls, "entity batches that ran only the publisher's outbox calls (TakeOutbox, AcknowledgeAndTakeOutbox)"),
        (Activity, "queue-events put (by the entity's operation, or the publisher's send activity with its work-item messages)"),
        (Recorder, "history recorder (queue trigger): message delete, history table row"),
        (Other, "other (not attributed)"),
    ];
}

/// <summary>Turns one case's raw traces into its <see cref="StageCase"/>.</summary>
public static class StageCaseAnalysis
{
    const string PublisherPrefix = "queue-events-";

    public static StageCase Analyze(
        string name, TimeSpan spacing, int issuedBefore, IReadOnlyList<EnterSample> samples, IReadOnlyList<StorageCall> calls,
        IReadOnlyList<EngineEvent> events, string hub, string historyTable, string entity, double idlePollsPerSecond, long end)
    {
        var owners = CallAttribution.Assign(calls, events, hub, historyTable);
        var batches = EntityBatches.Of(events, entity);
        var enters = samples.Where(s => s.Outcome.Status == 200)
            .Select(s => EnterStages.Analyze(s, entity, events, calls, owners, batches))
            .OfType<EnterBreakdown>()
            .ToList();
        var used = new HashSet<StorageCall>(enters.SelectMany(e => e.Used), ReferenceEqualityComparer.Instance);
        var start = samples.Min(s => s.SentAt);
        var inCase = calls.Where(c => c.Start >= start && c.Start <= end).ToList();

        var (background, polls, housekeeping) = SplitUnused(inCase.Where(c => !used.Contains(c)), owners, hub, entity);
        bool InCase(EngineEvent e) => e.At >= start && e.At <= end;
        var seconds = Measure.Ms(start, end) / 1000;
        return new StageCase(
            name,
            spacing,
            issuedBefore,
            samples,
            enters,
            seconds,
            background.ToDictionary(b => b.Key, b => StorageMix.Of(b.Value)),
            StorageMix.Of(polls),
            idlePollsPerSecond * seconds,
            StorageMix.Of(housekeeping),
            events.Count(e => InCase(e) && e.Name == "SendingMessage" && e["EventType"] == "ExecutionStarted" && e["TargetInstanceId"]?.StartsWith(PublisherPrefix, StringComparison.Ordinal) == true),
            events.Count(e => InCase(e) && e.Name == "TaskActivityStarting"),
            batches.Count(b => b.Executing >= start && b.Executing <= end));
    }

    /// <summary>The case's requests that no enter used: queue polls, leases and timer locks, and background work by role.</summary>
    static (Dictionary<string, List<StorageCall>> Background, List<StorageCall> Polls, List<StorageCall> Housekeeping) SplitUnused(
        IEnumerable<StorageCall> unused, IReadOnlyDictionary<StorageCall, CallOwner> owners, string hub, string entity)
    {
        var background = new Dictionary<string, List<StorageCall>>();
        var polls = new List<StorageCall>();
        var housekeeping = new List<StorageCall>();
        foreach (var call in unused)
        {
            var owner = owners[call];
            if (owner.Role == CallRole.Poll)
            {
                polls.Add(call);
                continue;
            }

            if (owner.Role == CallRole.Lease)
            {
                housekeeping.Add(call);
                continue;
            }

            var role = owner switch
            {
                { Role: CallRole.EventsSend } => BackgroundRole.Activity,
                { Role: CallRole.Recorder } => BackgroundRole.Recorder,
                { Role: CallRole.Instance } o when o.Instance == entity => BackgroundRole.EntityCalls,
                { Role: CallRole.Instance } o when o.Instance?.StartsWith(PublisherPrefix, StringComparison.Ordinal) == true =>
                    call.Path.StartsWith(hub + "-workitems", StringComparison.Ordinal) ? BackgroundRole.Activity : BackgroundRole.Publisher,
                _ => BackgroundRole.Other,
            };
            (background.TryGetValue(role, out var list) ? list : background[role] = []).Add(call);
        }

        return (background, polls, housekeeping);
    }
}
