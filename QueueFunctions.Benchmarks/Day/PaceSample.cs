using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Day;

/// <summary>One request of the day's pace, timed on the benchmark's monotonic clock.</summary>
/// <param name="At">Seconds from the start of the pace to the request's send.</param>
/// <param name="Instance">The app instance it was sent to.</param>
/// <param name="Owner">Whether that instance owned the clinic's partition (its engine runs the clinic's entity).</param>
public sealed record PaceSample(string Kind, string Clinic, int Instance, bool Owner, double At, double Ms, int Status);

/// <summary>Percentiles of a set of pace samples, answered ones only.</summary>
public static class PaceFigures
{
    public static List<double> Answered(IEnumerable<PaceSample> samples) => [.. samples.Where(s => s.Status == 200).Select(s => s.Ms).Order()];

    public static string Describe(IEnumerable<PaceSample> samples)
    {
        var list = samples.ToList();
        var ms = Answered(list);
        return ms.Count == 0
            ? Measure.Inv($"{list.Count} sent, none answered 200")
            : Measure.Inv($"{ms.Count:N0} answered 200 of {list.Count:N0}: p50 {Measure.Percentile(ms, 50):0} / p90 {Measure.Percentile(ms, 90):0} / p99 {Measure.Percentile(ms, 99):0} / max {ms[^1]:0} ms");
    }
}
