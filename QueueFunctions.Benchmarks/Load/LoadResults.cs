using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>Everything the load scenario found: the cases, and checks that are not about one case.</summary>
public sealed class LoadResults
{
    readonly List<string> failures = [];

    public List<LoadCaseResult> Cases { get; } = [];

    /// <summary>Findings that belong to no single row of the table (printed under it).</summary>
    public List<string> Notes { get; } = [];

    public double? IdleRequestsPerSecond { get; set; }

    /// <summary>Longest time, over the killed instance's clinics, from the kill to their first 200 again.</summary>
    public double? TakeoverSeconds { get; set; }

    public void Add(LoadCaseResult result) => Cases.Add(result);

    /// <summary>A check that is not about one case broke (e.g. the storage counter sees nothing).</summary>
    public void Fail(string what)
    {
        failures.Add(what);
        Measure.Progress("CHECK FAILED: " + what);
    }

    /// <summary>Every broken guarantee or failed check of the run, one line each.</summary>
    public IReadOnlyList<string> Broken =>
        [.. failures, .. Cases.SelectMany(c => c.Broken.Select(b => $"[{c.Design}] {c.Name}: {b}"))];
}
