using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>What came back for one enter.</summary>
/// <param name="Status">
/// The HTTP status code; for the orchestration path 200 when the instance completed and 500 when it failed.
/// <see cref="EnterOutcome.NoAnswer"/>: no HTTP answer at all (connection refused or reset, e.g. a killed instance);
/// <see cref="EnterOutcome.CutOff"/>: still waiting when the case ended.
/// </param>
/// <param name="Instance">Which app instance answered (index), or 0 with one instance.</param>
public sealed record EnterOutcome(int Status, int? Number, string? Error, int Instance = 0)
{
    public const int NoAnswer = 0;
    public const int CutOff = -1;

    public static string Label(int status) => status switch
    {
        NoAnswer => "no answer",
        CutOff => "cut off",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>One way of taking a number: HTTP on the app, or the canonical orchestration.</summary>
public interface IEnterPath
{
    /// <param name="attempt">Grows with every request of the run, so a path can spread requests over app instances.</param>
    Task<EnterOutcome> EnterAsync(long attempt, string clinic, string user, CancellationToken cancel);
}

/// <summary>One request of a load case, timed on the benchmark's monotonic clock.</summary>
public sealed record EnterSample(string Clinic, string User, long SentAt, long DoneAt, EnterOutcome Outcome)
{
    public double Ms => Measure.Ms(SentAt, DoneAt);
}
