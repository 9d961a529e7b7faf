using QueueFunctions.Benchmarks.Shared;
using ScottPlot;

namespace QueueFunctions.Benchmarks.Day;

/// <summary>
/// The day's pace over time as a PNG: p50 and p99 latency of each 5-second window, for requests that reached the
/// instance owning their clinic and for those that reached the other one, with the target as a line.
/// </summary>
public static class PacePlot
{
    const double Window = 5;

    public static void Write(string path, IReadOnlyCollection<PaceSample> samples, double targetMs)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var groups = new[] { ("instance owning the clinic", true), ("the other instance", false) };
        for (var i = 0; i < groups.Length; i++)
        {
            var (label, owner) = groups[i];
            var windows = samples.Where(s => s.Owner == owner && s.Status == 200)
                .GroupBy(s => Math.Floor(s.At / Window))
                .OrderBy(g => g.Key)
                .Select(g => (X: (g.Key + 0.5) * Window, Ms: g.Select(s => s.Ms).Order().ToList()))
                .ToList();
            foreach (var (percentile, pattern) in new[] { (50.0, LinePattern.Solid), (99.0, LinePattern.Dashed) })
            {
                if (windows.Count == 0)
                {
                    continue;
                }

                var line = plot.Add.Scatter(windows.Select(w => w.X).ToArray(), windows.Select(w => Measure.Percentile(w.Ms, percentile)).ToArray());
                line.Color = palette.GetColor(i);
                line.LineWidth = 2;
                line.LinePattern = pattern;
                line.MarkerSize = 4;
                line.LegendText = Measure.Inv($"p{percentile:0}, sent to {label}");
            }
        }

        var target = plot.Add.HorizontalLine(targetMs);
        target.Color = Colors.Gray;
        target.LinePattern = LinePattern.Dotted;
        target.LegendText = Measure.Inv($"target p99 {targetMs:0} ms");
        plot.Axes.Bottom.Label.Text = "seconds into the pace (5 s windows)";
        plot.Axes.Left.Label.Text = "enter and done latency, ms";
        plot.Title("A day's pace on two instances: latency over time");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsY(0, Math.Max(targetMs * 2, samples.Where(s => s.Status == 200).Select(s => s.Ms).DefaultIfEmpty(0).Max() * 1.1));

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        plot.SavePng(path, 1000, 560);
    }
}
