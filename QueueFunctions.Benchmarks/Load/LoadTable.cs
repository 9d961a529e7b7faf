using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>The load scenario's results as a markdown table with its notes, ready to paste into docs/BENCHMARKS.md.</summary>
public static class LoadTable
{
    public const string Title = "Scenario 3: load (closed-loop clients, each enter a new user)";

    public static IReadOnlyList<string> Lines(LoadResults results)
    {
        var lines = new List<string>
        {
            "| design | case | instances | clients | issued before | tickets | tickets/s | p50 ms | p90 ms | p99 ms | max ms | 504 | 503 | other not 200 | storage requests/ticket | USD per 1,000 tickets | guarantees |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
        };
        foreach (var r in results.Cases)
        {
            var others = r.NotOk.Where(p => p.Key is not (503 or 504)).ToList();
            var otherText = others.Count == 0 ? "0" : string.Join(", ", others.Select(p => Measure.Inv($"{p.Value} {EnterOutcome.Label(p.Key)}")));
            lines.Add(Measure.Inv(
                $"| {r.Design} | {r.Name} | {r.Instances} | {r.Clients} | {r.IssuedBefore:N0} | {r.Ok:N0} | {r.TicketsPerSecond:0.0} | {r.Latency(50):0} | {r.Latency(90):0} | {r.Latency(99):0} | {r.Latency(100):0} | ") +
                Measure.Inv($"{r.CountOf(504)} | {r.CountOf(503)} | {otherText} | {(r.StoragePerTicket is { } t ? Measure.Inv($"{t:0.0}") : "n/a")} | {(r.CostPer1000Tickets is { } c ? Measure.Inv($"{c:0.0000}") : "n/a")} | {(r.Broken.Count == 0 ? "hold" : "**BROKEN**")} |"));
        }

        lines.Add("");
        foreach (var r in results.Cases.Where(r => r.Notes.Count > 0))
        {
            lines.AddRange(r.Notes.Select(n => $"- [{r.Design}] {r.Name}: {n}"));
        }

        lines.AddRange(results.Notes.Select(n => "- " + n));
        if (results.IdleRequestsPerSecond is { } idle)
        {
            lines.Add(Measure.Inv($"- Storage requests counted while the app idled: {idle:0.0}/s (the engine polling its queues, at most 200 ms apart when idle); they are part of every case's count."));
        }

        lines.Add("- Storage requests: every Azure Storage request of the app process(es) during the case (Azure.Core \"Request\" events, retries included), divided by the tickets answered 200.");
        lines.Add("- " + StoragePrices.Assumptions);
        lines.Add("- Other not 200: \"no answer\" = no HTTP answer (connection refused or reset), \"cut off\" = still waiting when the case ended; for the orchestration path 500 = the instance failed.");
        return lines;
    }
}
