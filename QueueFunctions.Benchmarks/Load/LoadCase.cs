using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>What a load case is: who runs it, on which clinics, with how many closed-loop clients.</summary>
/// <param name="IssuedBefore">Tickets each clinic had already issued today when the case began.</param>
/// <param name="UserPrefix">Makes every user of the run new: no enter gets back a ticket held from an earlier case.</param>
public sealed record LoadCase(string Name, string Design, int Instances, IReadOnlyList<string> Clinics, int Clients, int IssuedBefore, string UserPrefix)
{
    public const string SignalWatcher = "signal+watcher";
    public const string Orchestration = "orchestration";

    /// <summary>The tickets issued before the case are still waiting, not finished.</summary>
    public bool Waiting { get; init; }

    /// <summary>Clients spread evenly over the clinics.</summary>
    public string ClinicOf(int client) => Clinics[client % Clinics.Count];

    public ClosedLoopRun Begin(IEnterPath path, long maxRequests, CancellationToken cancel) =>
        ClosedLoopRun.Begin(path, Clients, ClinicOf, UserPrefix, maxRequests, Name, cancel);

    public LoadCaseResult Result(ClosedLoopRun run, StorageRequests? storage) => new()
    {
        Name = Name,
        Design = Design,
        Instances = Instances,
        Clinics = Clinics.Count,
        Clients = Clients,
        IssuedBefore = IssuedBefore,
        Waiting = Waiting,
        Samples = run.Samples,
        Seconds = Measure.Ms(run.Start, run.End) / 1000,
        Storage = storage,
    };

    /// <summary>The case's progress line once it is measured and checked.</summary>
    public static void Print(LoadCaseResult r)
    {
        var storage = r.StoragePerTicket is { } perTicket ? Measure.Inv($"{perTicket:0.0} storage requests/ticket") : "storage not counted";
        Measure.Progress(Measure.Inv(
            $"{r.Name}: {r.Ok:N0} tickets in {r.Seconds:0.0} s = {r.TicketsPerSecond:0.0}/s; p50 {r.Latency(50):0} / p90 {r.Latency(90):0} / p99 {r.Latency(99):0} / max {r.Latency(100):0} ms; ") +
            $"not 200: {r.NotOkText()}; {storage}; guarantees {(r.Broken.Count == 0 ? "hold" : "BROKEN")}");
        foreach (var broken in r.Broken)
        {
            Measure.Progress($"GUARANTEE BROKEN in {r.Name}: {broken}");
        }

        foreach (var note in r.Notes)
        {
            Measure.Progress($"  {note}");
        }
    }
}
