namespace QueueFunctions.Tests.RealHost;

/// <summary>
/// Where the Azure Functions host's start and stop scripts are: <c>FUNCHOST_DIR</c>, else <c>shared/funchost</c> beside
/// the repository (the host built from its public source, for machines where Core Tools cannot be installed). Any
/// folder with a <c>run-host.sh APPDIR PORT</c> that waits until the host is Running and prints <c>pid=.. log=..</c>,
/// and a <c>stop-host.sh PORT [--kill]</c>, can stand in for it.
/// </summary>
public static class FunctionsHostScripts
{
    public static string Folder { get; } =
        Environment.GetEnvironmentVariable("FUNCHOST_DIR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(Infrastructure.RepoFiles.Root, "..", "shared", "funchost"));

    public static string RunScript => Path.Combine(Folder, "run-host.sh");

    public static string StopScript => Path.Combine(Folder, "stop-host.sh");

    public static bool Available => File.Exists(RunScript) && File.Exists(StopScript);

    /// <summary>CI must run this tier: there a missing host fails the tests instead of skipping them.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Missing =>
        $"No Azure Functions host: {RunScript} and {StopScript} not found. Set FUNCHOST_DIR to a folder with those " +
        "scripts (see docs/RUNNING.md, 'Run it on the Azure Functions host').";
}

/// <summary>A test of the real-host tier: skipped with the reason when no host is available, except in CI.</summary>
public sealed class RealHostFactAttribute : FactAttribute
{
    public RealHostFactAttribute()
    {
        if (!FunctionsHostScripts.Available && !FunctionsHostScripts.Required)
        {
            Skip = FunctionsHostScripts.Missing;
        }
    }
}
