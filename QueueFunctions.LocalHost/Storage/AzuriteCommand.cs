using System.Diagnostics;

namespace QueueFunctions.LocalHost.Storage;

/// <summary>How Azurite's node process is launched so that it stops after the host, never before it, and never outlives it.</summary>
static class AzuriteCommand
{
    const string SetSid = "/usr/bin/setsid";
    const string ParentWatchResource = "azurite-stops-with-host.cjs";

    /// <summary>
    /// node running <paramref name="script"/>, in a session of its own where <c>setsid</c> exists: a terminal sends
    /// Ctrl+C to its whole foreground process group, and an Azurite in that group would quit at once, leaving the host
    /// to stop against storage that is gone. Its stdin is a pipe the host holds, watched by a preloaded script that
    /// stops Azurite when the pipe closes, that is when the host's process ends in any way.
    /// </summary>
    public static ProcessStartInfo Create(string repositoryRoot, string dataDirectory, string script, IEnumerable<string> arguments)
    {
        bool ownSession = !OperatingSystem.IsWindows() && File.Exists(SetSid);
        var start = new ProcessStartInfo(ownSession ? SetSid : "node")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };

        // Not a process group leader (a child of .NET never is), setsid replaces itself with node: the process id
        // stays Azurite's, so stopping and killing it by id keeps working.
        if (ownSession)
        {
            start.ArgumentList.Add("node");
        }

        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(WriteParentWatch(dataDirectory));
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The preloaded script, written beside Azurite's data (a folder of its own) rather than shipped as a loose file.</summary>
    static string WriteParentWatch(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, ParentWatchResource);
        using Stream source = typeof(AzuriteCommand).Assembly.GetManifestResourceStream(ParentWatchResource)
            ?? throw new InvalidOperationException($"The resource {ParentWatchResource} is missing from the local host's assembly.");
        using var target = new MemoryStream();
        source.CopyTo(target);
        byte[] content = target.ToArray();
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            File.WriteAllBytes(path, content);
        }

        return path;
    }
}
