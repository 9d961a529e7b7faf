using System.Globalization;

namespace QueueFunctions.Tests.Support.Terminal;

/// <summary>What /proc tells about processes the test did not start itself (they were started in a terminal).</summary>
public static class LinuxProcesses
{
    /// <summary>False once the process is gone or only a zombie waiting for its parent.</summary>
    public static bool IsRunning(int id)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");

            // The state follows the command name, which is in parentheses and may itself contain them.
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Children of <paramref name="parent"/> (any of its threads may have started them) with their command lines.</summary>
    public static IReadOnlyList<(int Id, string CommandLine)> Children(int parent)
    {
        var children = new List<(int, string)>();
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{parent}/task"))
            {
                foreach (var id in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var pid = int.Parse(id, CultureInfo.InvariantCulture);
                    children.Add((pid, CommandLine(pid)));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The parent ended meanwhile: no children to report.
        }

        return children;
    }

    private static string CommandLine(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
