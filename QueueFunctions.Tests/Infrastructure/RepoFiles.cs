using System.Diagnostics;
using System.Reflection;

namespace QueueFunctions.Tests.Infrastructure;

/// <summary>Locates the repository and the Bicep CLI restored from NuGet.</summary>
public static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QueueFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No QueueFunctions.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The bicep executable of the Azure.Bicep.CommandLine.linux-x64 package: the folder restore used
    /// (written into this assembly by the test project), else BICEP_PATH, else the default NuGet cache.
    /// </summary>
    public static string BicepExecutable()
    {
        var candidates = new List<string>();
        var packageRoot = typeof(RepoFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        if (!string.IsNullOrWhiteSpace(packageRoot))
        {
            candidates.Add(Path.Combine(packageRoot, "tools", "bicep"));
        }

        if (Environment.GetEnvironmentVariable("BICEP_PATH") is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
        }

        var nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        candidates.Add(Path.Combine(nugetRoot, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep"));

        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("Bicep CLI not found; restore QueueFunctions.Tests. Looked in: " + string.Join(", ", candidates));

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(found);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(found, mode | execute);
            }
        }

        return found;
    }

    public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Bicep must not try to reach the network (telemetry, registry) from CI.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}.");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
