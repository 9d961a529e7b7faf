using System.Diagnostics;

namespace QueueFunctions.Benchmarks.Shared;

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
