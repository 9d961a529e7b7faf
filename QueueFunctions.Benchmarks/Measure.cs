using System.Diagnostics;
using System.Globalization;

namespace QueueFunctions.Benchmarks;

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

/// <summary>What this process holds: memory, descriptors, TCP connections, CPU.</summary>
public sealed record ProcessSnapshot(long WorkingSet, long GcHeap, long ManagedLive, int Threads, int OpenFiles, TimeSpan Cpu, long At)
{
    /// <param name="collect">Run a full GC first, so GcHeap and ManagedLive show what is really held.</param>
    public static ProcessSnapshot Take(bool collect)
    {
        if (collect)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var self = Process.GetCurrentProcess();
        int files;
        try
        {
            files = Directory.GetFiles("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            files = -1;
        }
        catch (UnauthorizedAccessException)
        {
            files = -1;
        }

        return new ProcessSnapshot(self.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes, GC.GetTotalMemory(false), self.Threads.Count, files, self.TotalProcessorTime, Measure.Now);
    }

    public static string Mib(long bytes) => Measure.Inv($"{bytes / 1024.0 / 1024.0:0} MiB");

    /// <summary>Share of the machine's cores this process used between two snapshots.</summary>
    public static double CpuPercent(ProcessSnapshot from, ProcessSnapshot to) =>
        (to.Cpu - from.Cpu).TotalMilliseconds / Math.Max(1, Measure.Ms(from.At, to.At)) / Environment.ProcessorCount * 100;
}

public static class Machine
{
    /// <summary>Established TCP connections whose local (server side) or remote (client side) port is <paramref name="port"/>.</summary>
    public static (int ServerSide, int ClientSide) Established(int port)
    {
        int server = 0, client = 0;
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != "01")
                {
                    continue;
                }

                if (PortOf(fields[1]) == port)
                {
                    server++;
                }
                else if (PortOf(fields[2]) == port)
                {
                    client++;
                }
            }
        }

        return (server, client);
    }

    static int PortOf(string address) =>
        int.Parse(address.AsSpan(address.IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The soft and hard limits on open files of this process (.NET raises the soft limit to the hard one at start).</summary>
    public static (long Soft, long Hard) OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var parts = line?.Substring("Max open files".Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is { Length: >= 2 })
            {
                return (Parse(parts[0]), Parse(parts[1]));
            }
        }
        catch (IOException)
        {
        }

        return (-1, -1);

        static long Parse(string s) => s == "unlimited" ? long.MaxValue : long.Parse(s, CultureInfo.InvariantCulture);
    }

    public static string Describe()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Measure.Inv($"{Environment.ProcessorCount} cores ({cpu}), {memory / 1024.0 / 1024 / 1024:0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
    }
}

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
