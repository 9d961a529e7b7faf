using System.Diagnostics;
using System.Globalization;

namespace QueueFunctions.Benchmarks.Shared;

/// <summary>Clock, percentiles and progress lines shared by the scenarios.</summary>
public static class Measure
{
    static readonly long Start = Stopwatch.GetTimestamp();

    public static long Now => Stopwatch.GetTimestamp();

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static double SecondsSince(long from) => Ms(from, Now) / 1000.0;

    public static void Progress(string line) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{SecondsSince(Start),7:0.0}s] {line}"));

    /// <summary>Nearest-rank percentile of an already sorted list.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static string Dist(List<double> samples, string unit = "ms")
    {
        if (samples.Count == 0)
        {
            return "no samples";
        }

        samples.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"p50 {Percentile(samples, 50):0} {unit}, p99 {Percentile(samples, 99):0} {unit}, max {samples[^1]:0} {unit} ({samples.Count:N0} samples)");
    }

    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
