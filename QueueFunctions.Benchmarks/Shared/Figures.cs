namespace QueueFunctions.Benchmarks.Shared;

/// <summary>Key figures of this run, set by the scenarios, for the comparison with the reference figures.</summary>
public static class Figures
{
    public static double? IdleReadsPerSecond { get; set; }
    public static int? OpenStreams { get; set; }
    public static double? PushP50 { get; set; }
    public static double? HttpEnterPerEntity { get; set; }
    public static double? OrchestrationEnterPerEntity { get; set; }
    public static double? HttpSequentialP50 { get; set; }
    public static double? OrchestrationSequentialP50 { get; set; }
}
