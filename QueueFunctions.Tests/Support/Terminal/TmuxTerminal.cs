using System.Diagnostics;

namespace QueueFunctions.Tests.Support.Terminal;

/// <summary>
/// A real pseudo-terminal with an interactive bash in it, on a tmux server of its own (own socket, no user
/// configuration, so a developer's tmux is neither used nor disturbed). A program started there meets Ctrl+C as it does
/// in a person's terminal: sent to the whole foreground process group, children included.
/// </summary>
public sealed class TmuxTerminal : IDisposable
{
    private const string Session = "main";
    private readonly string socket;

    private TmuxTerminal(string socket) => this.socket = socket;

    /// <param name="environment">Variables of the shell and so of what it runs, kept off the command line typed there.</param>
    public static TmuxTerminal Start(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        RequireTmux();

        // A unix socket path must stay under about 100 characters, so not under a long test folder.
        var terminal = new TmuxTerminal(Path.Combine("/tmp", $"qf-tmux-{Guid.NewGuid().ToString("N")[..12]}.sock"));
        var arguments = new List<string>
        {
            "start-server", ";",
            // Raised before the pane exists: the default 2000 lines may not hold a start, a stop and their warnings.
            "set-option", "-g", "history-limit", "100000", ";",
            "new-session", "-d", "-s", Session, "-x", "200", "-y", "50", "-c", workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            arguments.Add("-e");
            arguments.Add($"{name}={value}");
        }

        arguments.Add("bash --norc --noprofile");
        terminal.Run([.. arguments]);
        return terminal;
    }

    /// <summary>Types a command line and Enter, as a person would.</summary>
    public void Type(string line)
    {
        Run("send-keys", "-t", Session, "-l", line);
        Run("send-keys", "-t", Session, "Enter");
    }

    public void PressCtrlC() => Run("send-keys", "-t", Session, "C-c");

    /// <summary>Everything the terminal has shown since it started, wrapped lines joined.</summary>
    public string Text() => Run("capture-pane", "-p", "-J", "-t", Session, "-S", "-");

    /// <summary>The interactive shell's process id: what the terminal started.</summary>
    public int ShellId => int.Parse(Run("display-message", "-p", "-t", Session, "#{pane_pid}").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            Run("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        File.Delete(socket);
    }

    private static void RequireTmux()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, "tmux")));
        if (!found)
        {
            Assert.Fail(
                "tmux is not installed, and this test needs it: it runs the local host in a real terminal to press Ctrl+C " +
                "as a person does. Install it with `apt-get install tmux` (Debian package tmux).");
        }
    }

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-S", socket, "-f", "/dev/null" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux did not start.");
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}");
        }

        return text.Result;
    }
}
