using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>The stages scenario's report: markdown tables, ready for docs/BENCHMARKS.md.</summary>
public static class StagesTable
{
    public const string Title = "Scenario 4: where one enter's time goes";

    public static IReadOnlyList<string> Lines(IReadOnlyList<StageCase> cases, double idlePollsPerSecond, StorageMix idleHousekeepingPerSecond)
    {
        var lines = new List<string>();
        foreach (var mode in cases.GroupBy(c => c.Spacing))
        {
            var group = mode.ToList();
            lines.Add(mode.Key == TimeSpan.Zero
                ? "One client, enters back to back (as scenario 3's one-client case):"
                : Measure.Inv($"One client, one enter every {mode.Key.TotalSeconds:0.#} s after the previous answer (an idle engine between patients):"));
            lines.Add("");
            AddStageTable(lines, group);
            lines.Add("");
            foreach (var c in group)
            {
                AddCaseNotes(lines, c);
            }

            lines.Add("");
        }

        AddBackgroundTable(lines, cases);
        lines.Add("");
        lines.Add(Measure.Inv($"Idle app (no request, no watcher): {idlePollsPerSecond:0.0} queue polls/s; leases and timer locks {idleHousekeepingPerSecond.Describe()} per second."));
        var all = cases.SelectMany(c => c.Enters).ToList();
        if (all.Any(e => e.StateInBlob) && all.Any(e => !e.StateInBlob))
        {
            lines.Add(Measure.Inv($"Largest entity state kept in the table row: {all.Where(e => !e.StateInBlob).Max(e => e.StateLength):N0} characters; smallest written to a blob: {all.Where(e => e.StateInBlob).Min(e => e.StateLength):N0}."));
        }
        return lines;
    }

    /// <summary>Each stage's median, p90 and storage requests, one column group per case of the same spacing.</summary>
    static void AddStageTable(List<string> lines, List<StageCase> group)
    {
        lines.Add("| stage | " + string.Join(" | ", group.Select(c => Measure.Inv($"{c.IssuedBefore:N0} issued: median ms | p90 ms | storage requests per ticket"))) + " |");
        lines.Add("| --- |" + string.Concat(group.Select(_ => " ---: | ---: | --- |")));
        foreach (var stage in Stage.All)
        {
            var label = stage.Sub ? "&nbsp;&nbsp;" + stage.Label : stage.Label;
            lines.Add($"| {label} | " + string.Join(" | ", group.Select(c =>
            {
                var ms = c.Ms(stage).Order().ToList();
                return Measure.Inv($"{Measure.Percentile(ms, 50):0.0} | {Measure.Percentile(ms, 90):0.0} | {c.StoragePerTicket(stage).Describe()}");
            })) + " |");
        }
    }

    /// <summary>Under the table, per case: the client's view, shared batches, where the state lived, and the slowest enter.</summary>
    static void AddCaseNotes(List<string> lines, StageCase c)
    {
        var analyzed = c.Enters.Count;
        lines.Add(Measure.Inv($"- {c.Name}: {c.Tickets} tickets, {analyzed} traced through every stage; client p50 {Percentile(c, 50):0} ms, p99 {Percentile(c, 99):0} ms; ")
            + Measure.Inv($"{c.Enters.Count(e => e.SharedBatch)} enters ran in a batch with the publisher's outbox calls, {c.Enters.Count(e => e.QueuedBehind)} waited behind another batch of the entity."));
        var inBlob = c.Enters.Where(e => e.StateInBlob).ToList();
        var inRow = c.Enters.Where(e => !e.StateInBlob).ToList();
        lines.Add(Measure.Inv($"  entity state {c.StateAtStart:N0} -> {c.StateAtEnd:N0} characters; ")
            + (inBlob.Count == 0 ? "always in its table row." : inRow.Count == 0 ? Measure.Inv($"always in a blob (too large for the table row): median total {Median(inBlob):0} ms.")
                : Measure.Inv($"in its table row for {inRow.Count} enters (median total {Median(inRow):0} ms), in a blob for {inBlob.Count} (median total {Median(inBlob):0} ms).")));
        var clean = c.Enters.Where(e => !e.StateInBlob && !e.QueuedBehind).Select(e => e.Ms[Stage.Total.Key]).Order().ToList();
        if (clean.Count > 0 && clean.Count < c.Enters.Count)
        {
            lines.Add(Measure.Inv($"  state in its row and no other batch of the entity ahead ({clean.Count} enters): p50 {Measure.Percentile(clean, 50):0} ms, p90 {Measure.Percentile(clean, 90):0} ms, p99 {Measure.Percentile(clean, 99):0} ms."));
        }

        if (c.Enters.MaxBy(e => e.Ms[Stage.Total.Key]) is { } slowest)
        {
            var split = string.Join(", ", Stage.All.Where(s => !s.Sub && s != Stage.Total).Select(s => Measure.Inv($"{s.Key} {slowest.Ms[s.Key]:0}")));
            lines.Add(Measure.Inv($"  slowest: {slowest.Ms[Stage.Total.Key]:0} ms = {split}{(slowest.QueuedBehind ? " (waited behind another batch)" : "")}."));
        }
    }

    /// <summary>The work each ticket causes after its answer, by role, and the ticket's storage requests in all.</summary>
    static void AddBackgroundTable(List<string> lines, IReadOnlyList<StageCase> cases)
    {
        lines.Add("Work each ticket causes after its answer (storage requests per ticket):");
        lines.Add("");
        lines.Add("| background work | " + string.Join(" | ", cases.Select(CaseTitle)) + " |");
        lines.Add("| --- |" + string.Concat(cases.Select(_ => " --- |")));
        foreach (var (key, label) in BackgroundRole.All)
        {
            lines.Add($"| {label} | " + string.Join(" | ", cases.Select(c => c.BackgroundPerTicket(key).Describe())) + " |");
        }

        lines.Add("| **all background work** | " + string.Join(" | ", cases.Select(c => "**" + c.BackgroundTotalPerTicket.Describe() + "**")) + " |");
        lines.Add("| publisher orchestration starts / send activities / entity batches, per ticket | " + string.Join(" | ", cases.Select(c =>
            Measure.Inv($"{(double)c.PublisherStarts / c.Tickets:0.00} / {(double)c.Activities / c.Tickets:0.00} / {(double)c.EntityBatches / c.Tickets:0.00}"))) + " |");
        lines.Add("| queue polls during the case (all queues), per ticket | " + string.Join(" | ", cases.Select(c =>
            Measure.Inv($"{c.Polls.Total / c.Tickets:0.0} (idle rate alone: {c.IdlePolls / c.Tickets:0.0})"))) + " |");
        lines.Add("| foreground (the enter itself, total row above) | " + string.Join(" | ", cases.Select(c => c.StoragePerTicket(Stage.Total).Describe())) + " |");
        lines.Add("| **per ticket in all: foreground + background + polls above the idle rate** | " + string.Join(" | ", cases.Select(c =>
            Measure.Inv($"**{c.StoragePerTicket(Stage.Total).Total + c.BackgroundTotalPerTicket.Total + Math.Max(0, c.Polls.Total - c.IdlePolls) / c.Tickets:0.0}**"))) + " |");
    }

    static double Median(IEnumerable<EnterBreakdown> enters) => Measure.Percentile(enters.Select(e => e.Ms[Stage.Total.Key]).Order().ToList(), 50);

    static string CaseTitle(StageCase c) =>
        Measure.Inv($"{(c.Spacing == TimeSpan.Zero ? "back to back" : $"{c.Spacing.TotalSeconds:0.#} s apart")}, {c.IssuedBefore:N0} issued");

    static double Percentile(StageCase c, double p) =>
        Measure.Percentile(c.Samples.Where(s => s.Outcome.Status == 200).Select(s => s.Ms).Order().ToList(), p);
}
