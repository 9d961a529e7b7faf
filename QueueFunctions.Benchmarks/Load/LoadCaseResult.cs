using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>The figures of one load case, from its samples and the storage requests made meanwhile.</summary>
public sealed class LoadCaseResult
{
    public required string Name { get; init; }

    /// <summary>"signal+watcher" (the app) or "orchestration" (the canonical way).</summary>
    public required string Design { get; init; }

    public required int Instances { get; init; }

    public required int Clinics { get; init; }

    public required int Clients { get; init; }

    /// <summary>Tickets each clinic had already issued today when the case began.</summary>
    public required int IssuedBefore { get; init; }

    /// <summary>The tickets issued before the case were left waiting.</summary>
    public bool Waiting { get; init; }

    /// <summary>Entity state reads the app made during the case (in-process hosts only).</summary>
    public long StateReads { get; set; }

    public required IReadOnlyCollection<EnterSample> Samples { get; init; }

    public required double Seconds { get; init; }

    /// <summary>Storage requests of the app process(es) during the case; null when they could not be counted.</summary>
    public StorageRequests? Storage { get; init; }

    /// <summary>Broken guarantees found by the checks at the end of the case; empty when all hold.</summary>
    public List<string> Broken { get; } = [];

    /// <summary>Extra findings of the case (takeover time, throughput against one instance ...).</summary>
    public List<string> Notes { get; } = [];

    public int Ok => Samples.Count(s => s.Outcome.Status == 200);

    public double TicketsPerSecond => Seconds > 0 ? Ok / Seconds : 0;

    public int CountOf(int status) => Samples.Count(s => s.Outcome.Status == status);

    /// <summary>Every answer that is not a 200, by code (0: no HTTP answer, -1: cut off at the end).</summary>
    public IReadOnlyDictionary<int, int> NotOk =>
        Samples.Where(s => s.Outcome.Status != 200).GroupBy(s => s.Outcome.Status).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    public List<double> Latencies() => [.. Samples.Where(s => s.Outcome.Status == 200).Select(s => s.Ms).Order()];

    public double Latency(double percentile)
    {
        var sorted = Latencies();
        return percentile >= 100 ? sorted.LastOrDefault(double.NaN) : Measure.Percentile(sorted, percentile);
    }

    public double? StoragePerTicket => Storage is { } s && Ok > 0 ? (double)s.Total / Ok : null;

    /// <summary>Storage cost of 1,000 tickets at <see cref="StoragePrices"/>.</summary>
    public double? CostPer1000Tickets => Storage is { } s && Ok > 0 ? StoragePrices.Cost(s) / Ok * 1000 : null;

    public string NotOkText()
    {
        var notOk = NotOk;
        if (notOk.Count == 0)
        {
            return "0";
        }

        return string.Join(", ", notOk.Select(p => Measure.Inv($"{p.Value:N0}x {EnterOutcome.Label(p.Key)}")));
    }

    public string FirstError() => Samples.FirstOrDefault(s => s.Outcome.Status != 200)?.Outcome.Error ?? "";
}
