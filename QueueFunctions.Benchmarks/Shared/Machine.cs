using System.Globalization;

namespace QueueFunctions.Benchmarks.Shared;

/// <summary>What this machine offers and allows: TCP connections by port, the open-files limit, cores and memory.</summary>
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
