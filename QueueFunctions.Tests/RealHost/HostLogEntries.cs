using System.Text.RegularExpressions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>One entry of the host's console log: <c>info: Category[id]</c> and the indented lines under it.</summary>
public sealed record HostLogEntry(string Level, string Category, string Message)
{
    /// <summary>An Azure SDK request or response line (every storage call, with its headers) forwarded from the worker.</summary>
    public bool IsAzureSdkCall =>
        Category.EndsWith(".User", StringComparison.Ordinal)
        && (Message.StartsWith("Request [", StringComparison.Ordinal)
            || Message.StartsWith("Response [", StringComparison.Ordinal)
            || Message.StartsWith("Error response [", StringComparison.Ordinal));
}

public static partial class HostLogEntries
{
    public static IReadOnlyList<HostLogEntry> Parse(string log)
    {
        var entries = new List<HostLogEntry>();
        string? level = null, category = null;
        var message = new List<string>();
        foreach (string line in log.Split('\n'))
        {
            if (Header().Match(line) is { Success: true } header)
            {
                Flush();
                (level, category) = (header.Groups["level"].Value, header.Groups["category"].Value);
            }
            else if (level is not null)
            {
                message.Add(line.Trim());
            }
        }

        Flush();
        return entries;

        void Flush()
        {
            if (level is not null && category is not null)
            {
                entries.Add(new HostLogEntry(level, category, string.Join("\n", message).Trim()));
            }

            message.Clear();
        }
    }

    [GeneratedRegex(@"^(?<level>trce|dbug|info|warn|fail|crit): (?<category>[^\[\s]+)\[\-?\d+\]")]
    private static partial Regex Header();
}
