using QueueFunctions.Benchmarks.Shared;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// The load cases of one instance as a PNG: latency p50 (solid) and p99 (dashed) against the number of clients, one
/// colour per design and shape (signal + watcher on 1 clinic and on 16, on a clinic that already issued or still holds
/// tickets, orchestration). Both axes are logarithmic: clients go 1 to 1,600 and latencies span tens of milliseconds
/// to seconds.
/// </summary>
public static class LatencyPlot
{
    public static void Write(string path, IReadOnlyList<LoadCaseResult> cases)
    {
        var oneInstance = cases.Where(c => c.Instances == 1).ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var series = oneInstance
            .GroupBy(c => (c.Design, c.Clinics, c.IssuedBefore, c.Waiting))
            .OrderBy(g => g.Key.Design == LoadCase.SignalWatcher ? 0 : 1)
            .ThenBy(g => g.Key.Clinics)
            .ThenBy(g => g.Key.IssuedBefore)
            .ToList();
        for (var i = 0; i < series.Count; i++)
        {
            var group = series[i].OrderBy(c => c.Clients).ToList();
            var (design, clinics, issued, waiting) = series[i].Key;
            var where = clinics == 1 ? "1 clinic" : Measure.Inv($"{clinics} clinics");
            var name = issued > 0 ? Measure.Inv($"{design}, {where}, {issued:N0} {(waiting ? "waiting" : "already issued")}") : Measure.Inv($"{design}, {where}");
            var color = palette.GetColor(i);
            foreach (var (percentile, pattern, marker) in new[] { (50.0, LinePattern.Solid, MarkerShape.FilledCircle), (99.0, LinePattern.Dashed, MarkerShape.FilledSquare) })
            {
                var points = group.Select(c => (X: (double)c.Clients, Y: c.Latency(percentile))).Where(p => p.Y > 0 && !double.IsNaN(p.Y)).ToList();
                if (points.Count == 0)
                {
                    continue;
                }

                var line = plot.Add.Scatter(points.Select(p => Math.Log10(p.X)).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray());
                line.Color = color;
                line.LineWidth = 2;
                line.LinePattern = pattern;
                line.MarkerShape = marker;
                line.MarkerSize = 8;
                line.LegendText = Measure.Inv($"{name}: p{percentile:0}");
            }
        }

        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.Axes.Bottom.Label.Text = "closed-loop clients (spread evenly over the clinics)";
        plot.Axes.Left.Label.Text = "enter latency, ms (p50 solid, p99 dashed)";
        plot.Title("Enter latency against clients: 1 clinic and 16 clinics, one instance");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(0.08, 0.12);

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        plot.SavePng(path, 1000, 640);
    }

    /// <summary>Ticks at powers of ten (labelled with the real value) and minor ticks between them.</summary>
    static NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => Math.Pow(10, v).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
    };
}
