using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace QueueFunctions.Tests.Support.Terminal;

/// <summary>
/// The local host program as a developer runs it: <c>dotnet QueueFunctions.LocalHost.dll</c> typed into a terminal,
/// starting its own Azurite. That Azurite gets free ports and a data folder of its own (the program's
/// LocalHost:Azurite* settings), so a developer's Azurite on 10000-10002 is neither used nor disturbed.
/// </summary>
public sealed partial class TerminalLocalHost : IDisposable
{
    private const string ReadyLine = "Clinic queue running at ";
    private const string ProgramName = "QueueFunctions.LocalHost.dll";

    private readonly TmuxTerminal terminal;
    private readonly string data;
    private readonly List<int> started = [];

    private TerminalLocalHost(TmuxTerminal terminal, string data, int httpPort)
    {
        this.terminal = terminal;
        this.data = data;
        HttpPort = httpPort;
    }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public static TerminalLocalHost Open()
    {
        var data = Path.Combine(Path.GetTempPath(), "terminal-localhost-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var terminal = TmuxTerminal.Start(AppContext.BaseDirectory, new Dictionary<string, string>
        {
            ["LocalHost__Urls"] = $"http://127.0.0.1:{port}",
            ["LocalHost__AzuriteBlobPort"] = "0",
            ["LocalHost__AzuriteQueuePort"] = "0",
            ["LocalHost__AzuriteTablePort"] = "0",
            ["LocalHost__AzuriteDataDirectory"] = data,
        });
        return new TerminalLocalHost(terminal, data, port);
    }

    /// <summary>Types the command and waits until the program says it is running; then finds its process and its Azurite's.</summary>
    public async Task<ProgramRun> StartAsync(TimeSpan within)
    {
        var before = Count(ReadyLine);
        terminal.Type($"dotnet {ProgramName}");
        var clock = Stopwatch.StartNew();
        while (Count(ReadyLine) == before)
        {
            if (clock.Elapsed > within)
            {
                Assert.Fail($"The program did not say it was running within {within.TotalSeconds:0} s. Terminal:\n{Text()}");
            }

            await Task.Delay(20);
        }

        var seenRunning = Stopwatch.StartNew();
        var program = LinuxProcesses.Children(terminal.ShellId).SingleOrDefault(c => c.CommandLine.Contains(ProgramName, StringComparison.Ordinal));
        Assert.True(program.Id != 0, $"No {ProgramName} process under the terminal's shell.");
        var azurite = AzuriteLine().Matches(Text()).Last();
        var run = new ProgramRun(
            program.Id,
            int.Parse(azurite.Groups[1].Value, CultureInfo.InvariantCulture),
            [.. azurite.Groups.Values.Skip(2).Select(g => int.Parse(g.Value, CultureInfo.InvariantCulture))],
            seenRunning);
        Assert.Contains(LinuxProcesses.Children(run.ProgramId), c => c.Id == run.AzuriteId);
        started.Add(run.ProgramId);
        started.Add(run.AzuriteId);
        return run;
    }

    public void PressCtrlC() => terminal.PressCtrlC();

    /// <summary>Asks the shell for the exit code of what it ran last.</summary>
    public async Task<int> LastExitCodeAsync(TimeSpan within)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        terminal.Type($"echo \"exit code {marker}: $?\"");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var match = Regex.Match(Text(), $"^exit code {marker}: (\\d+)$", RegexOptions.Multiline);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            Assert.True(clock.Elapsed < within, $"The shell did not answer within {within.TotalSeconds:0} s. Terminal:\n{Text()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls until the process is gone; fails at the deadline with what the terminal shows.</summary>
    public async Task<TimeSpan> WaitUntilEndedAsync(int id, Stopwatch since, TimeSpan within, string what)
    {
        while (LinuxProcesses.IsRunning(id))
        {
            if (since.Elapsed > within)
            {
                Assert.Fail($"{what} (process {id}) was still running {within.TotalSeconds:0} s after Ctrl+C. Terminal:\n{Text()}");
            }

            await Task.Delay(10);
        }

        return since.Elapsed;
    }

    public string Text() => terminal.Text();


    public void Dispose()
    {
        // Whatever a failed test left running goes, so that no program or Azurite outlives the test.
        foreach (var id in started.Where(LinuxProcesses.IsRunning))
        {
            try
            {
                Process.GetProcessById(id).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Ended meanwhile.
            }
        }

        terminal.Dispose();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // An Azurite still closing may hold a file for a moment; the folder is a temporary one.
        }
    }

    private int Count(string text) => Regex.Matches(Text(), Regex.Escape(text)).Count;

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"Azurite \(process (\d+)\) listening on 127\.0\.0\.1:(\d+)/(\d+)/(\d+)\.")]
    private static partial Regex AzuriteLine();
}

/// <param name="SeenRunning">Started when the test saw the program say it was running.</param>
public sealed record ProgramRun(int ProgramId, int AzuriteId, int[] AzuritePorts, Stopwatch SeenRunning);
