using QueueFunctions.Benchmarks.Load;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>
/// Writes the raw timeline around a few enters (client send and answer, every storage request, every engine event) as
/// text, so a reader can check how the stage boundaries were drawn.
/// </summary>
public static class TimelineWriter
{
    static readonly HashSet<string> Quiet = new(StringComparer.Ordinal) { "FetchWorkItemStarting", "FetchWorkItemCompleted" };

    public static void Write(TextWriter output, string title, IReadOnlyList<EnterSample> enters, IReadOnlyList<StorageCall> calls, IReadOnlyList<EngineEvent> events, TimeSpan after)
    {
        if (enters.Count == 0)
        {
            return;
        }

        var from = enters[0].SentAt;
        var to = enters[^1].DoneAt + (long)(after.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var lines = new List<(long At, string Text)>();
        foreach (var e in enters)
        {
            lines.Add((e.SentAt, $"CLIENT  send enter {e.User}"));
            lines.Add((e.DoneAt, Measure.Inv($"CLIENT  answer {e.Outcome.Status} number {e.Outcome.Number} after {e.Ms:0.0} ms")));
        }

        foreach (var c in calls.Where(c => c.Start >= from && c.Start <= to))
        {
            lines.Add((c.Start, Measure.Inv($"STORAGE {c.Method,-6} {c.Service,-5} {c.Path}{c.Query}  -> {c.Status} in {c.Ms:0.0} ms")));
        }

        foreach (var e in events.Where(e => e.At >= from && e.At <= to && !Quiet.Contains(e.Name)))
        {
            lines.Add((e.At, $"ENGINE  {e.Name} {e.Message.ReplaceLineEndings(" ")} | {string.Join(" ", e.Fields.Where(f => f.Key is not ("Account" or "TaskHub" or "{OriginalFormat}" or "AppName" or "ExtensionVersion")).Select(f => f.Key + "=" + f.Value))}"));
        }

        output.WriteLine($"== {title} ==");
        foreach (var (at, text) in lines.OrderBy(l => l.At))
        {
            output.WriteLine(Measure.Inv($"{Measure.Ms(from, at),9:0.0}  {text}"));
        }

        output.WriteLine();
    }
}
