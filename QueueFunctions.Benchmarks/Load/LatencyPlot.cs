using QueueFunctions.Benchmarks.Shared;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// The load cases on one clinic as a PNG: latency p50 and p99 against the number of clients, one line per design
/// (signal + watcher, orchestration) and, dashed, signal + watcher on a clinic that already issued tickets. Both
/// axes are logarithmic: clients go 1, 10, 100 and latencies span tens of milliseconds to seconds.
/// </summary>
public static class LatencyPlot
{
    public static void Write(string path, IReadOnlyList<LoadCaseResult> cases)
    {
        var oneClinic = cases.Where(c => c.Clinics == 1 && c.Instances == 1).ToList();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var series = oneClinic
            .GroupBy(c => (c.Design, c.IssuedBefore))
            .OrderBy(g => g.Key.Design == LoadCase.SignalWatcher ? 0 : 1)
            .ThenBy(g => g.Key.IssuedBefore)
            .ToList();
        for (var i = 0; i < series.Count; i++)
        {
            var group = series[i].OrderBy(c => c.Clients).ToList();
            var (design, issued) = series[i].Key;
            var name = issued > 0 ? Measure.Inv($"{design}, {issued:N0} already issued") : design;
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
        plot.Axes.Bottom.Label.Text = "closed-loop clients on one clinic";
        plot.Axes.Left.Label.Text = "enter latency, ms (p50 solid, p99 dashed)";
        plot.Title("Enter latency against clients: signal + watcher vs orchestration");
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
