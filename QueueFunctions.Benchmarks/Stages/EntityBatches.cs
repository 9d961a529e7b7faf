namespace QueueFunctions.Benchmarks.Stages;

/// <summary>One batch of an entity as the engine ran it: the messages it took and when each step ended.</summary>
/// <param name="Fetched">The history read that loaded the entity's state for this batch (null if the engine logged none).</param>
/// <param name="Sequences">Sequence numbers of the messages (operations) the batch ran.</param>
/// <param name="Visible">When the instance row (the state clients read) was written: from then on the watcher can see the result.</param>
/// <param name="StateLength">Length of the entity's serialized state after the batch, as the engine reports it.</param>
public sealed record EntityBatch(EngineEvent? Fetched, IReadOnlyList<long> Sequences, long Executing, long Executed, long Visible, long Completed, int StateLength);

/// <summary>Rebuilds an entity's batches from the engine's events. The engine runs one batch of an entity at a time.</summary>
public static class EntityBatches
{
    public static IReadOnlyList<EntityBatch> Of(IReadOnlyList<EngineEvent> events, string entity)
    {
        var batches = new List<EntityBatch>();
        var mine = events.Where(e => e.InstanceId == entity || (e.Name == "ProcessWorkItemCompleted" && e["WorkItemId"] == entity)).ToList();
        EngineEvent? fetched = null;
        var sequences = new List<long>();
        for (var i = 0; i < mine.Count; i++)
        {
            var e = mine[i];
            switch (e.Name)
            {
                case "FetchedInstanceHistory":
                    fetched = e;
                    break;
                case "ProcessingMessage" when CallAttribution.Sequence(e) is { } sequence:
                    sequences.Add(sequence);
                    break;
                case "EntityBatchExecuting":
                    var executed = Next(mine, i, "EntityBatchExecuted");
                    var visible = executed is null ? null : Next(mine, mine.IndexOf(executed), "InstanceStatusUpdate");
                    var completed = executed is null ? null : Next(mine, mine.IndexOf(executed), "ProcessWorkItemCompleted");
                    if (executed is not null && visible is not null && completed is not null)
                    {
                        batches.Add(new EntityBatch(
                            fetched, [.. sequences], e.At, executed.At, visible.At, completed.At,
                            int.TryParse(executed["EntityStateLength"], out var length) ? length : 0));
                    }

                    fetched = null;
                    sequences = [];
                    break;
            }
        }

        return batches;
    }

    static EngineEvent? Next(List<EngineEvent> events, int from, string name)
    {
        for (var i = from + 1; i < events.Count; i++)
        {
            if (events[i].Name == name)
            {
                return events[i];
            }
        }

        return null;
    }
}
