namespace QueueFunctions.Benchmarks.Shared;

/// <summary>The final table: sections of (metric, value, note) rows, then blocks printed as they are (markdown tables).</summary>
public sealed class Report
{
    readonly List<(string Section, string Metric, string Value, string Note)> rows = [];
    readonly List<(string Title, IReadOnlyList<string> Lines)> blocks = [];

    public void Add(string section, string metric, string value, string note = "") => rows.Add((section, metric, value, note));

    public void AddBlock(string title, IReadOnlyList<string> lines) => blocks.Add((title, lines));

    public void Print(TextWriter output)
    {
        const int metricWidth = 50;
        const int valueWidth = 52;
        foreach (var group in rows.GroupBy(r => r.Section))
        {
            output.WriteLine();
            output.WriteLine("== " + group.Key + " ==");
            output.WriteLine($"{"metric",-metricWidth} | {"value",-valueWidth} | note");
            output.WriteLine(new string('-', metricWidth) + "-+-" + new string('-', valueWidth) + "-+-" + new string('-', 40));
            foreach (var row in group)
            {
                output.WriteLine($"{row.Metric,-metricWidth} | {row.Value,-valueWidth} | {row.Note}");
            }
        }

        foreach (var (title, lines) in blocks)
        {
            output.WriteLine();
            output.WriteLine("== " + title + " ==");
            output.WriteLine();
            foreach (var line in lines)
            {
                output.WriteLine(line);
            }
        }
    }
}
