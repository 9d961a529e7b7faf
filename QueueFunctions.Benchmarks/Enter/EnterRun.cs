namespace QueueFunctions.Benchmarks.Enter;

/// <summary>Outcome of one enter path: the same burst of N concurrent enters over the same clinics.</summary>
public sealed record EnterRun(
    string Path,
    int Ok,
    int Failed,
    double Seconds,
    List<double> Latency,
    List<double> Sequential,
    bool NumbersExact,
    string NumbersNote,
    string? FirstFailure,
    long Reads,
    List<double>? EngineLatency = null,
    double? EngineSeconds = null)
{
    public double PerSecond => Ok / Seconds;
}
