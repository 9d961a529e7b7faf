using System.Diagnostics;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace QueueFunctions.Tests.RealHost;

/// <summary>
/// The app published as for Azure (<c>dotnet publish -c Release</c>), an Azurite of its own on free ports, and one
/// Azure Functions host running it with the app's default settings, plus a few clinics of the tier's own and timers
/// that fire every few seconds. Tests that need hosts of their own start them on their own task hub.
/// </summary>
public sealed class RealHostFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    /// <summary>Clinics only the day-traffic test uses, so its figures are exact whatever else the tier does.</summary>
    public static readonly string[] TrafficClinics = ["rh1", "rh2", "rh3", "rh4", "rh5", "rh6", "rh7", "rh8"];

    /// <summary>Clinics only the day-memory and retry tests use.</summary>
    public static readonly string[] RetryClinics = ["rhmemory", "rhretry", "rhfull"];

    /// <summary>
    /// Waiting tickets a clinic holds at most on this tier: small, so a flood test fills one quickly, and above the 125
    /// per clinic the traffic test issues.
    /// </summary>
    public const int MaxWaiting = 150;

    public const string DefaultClinics = "lab,xray,eyes,internal,ent,surgery,dental,psychiatry,derma,bones,vitals,ecg,audio,women_internal,women_derma,women_eyes";

    /// <summary>Every timer fires within this long of the host starting (a schedule every 10 s, set as an app setting).</summary>
    public const string ShortSchedule = "*/10 * * * * *";

    AzuriteProcess? azurite;
    string? workDirectory;
    FunctionsHostInstance? host;

    public AzuriteProcess Azurite => azurite ?? throw NotStarted();

    /// <summary>The app the hosts run: published by the fixture, or REALHOST_APP_DIR (another build's publish folder, to compare with).</summary>
    public string AppDirectory => Environment.GetEnvironmentVariable("REALHOST_APP_DIR") is { Length: > 0 } given
        ? Path.GetFullPath(given)
        : Path.Combine(workDirectory ?? throw NotStarted(), "app");

    /// <summary>FUNCHOST_HOME of every host of the tier: the unpacked host, keys and logs.</summary>
    public string HostHome => Path.Combine(workDirectory ?? throw NotStarted(), "funchost");

    public FunctionsHostInstance Host => host ?? throw NotStarted();

    public static IReadOnlyDictionary<string, string> Settings(IReadOnlyDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Queue:Clinics"] = DefaultClinics + "," + string.Join(",", TrafficClinics.Concat(RetryClinics)),
            ["Queue:MaxWaiting"] = $"{MaxWaiting}",
            // The tier runs after the rest of the suite, alone, but on a shared 2-core machine; a 504 here would be noise.
            ["Queue:ConfirmTimeoutSeconds"] = "20",
            ["Queue:PurgeSchedule"] = ShortSchedule,
            ["History:CleanUpSchedule"] = ShortSchedule,
            ["History:PoisonReplaySchedule"] = ShortSchedule,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        if (!FunctionsHostScripts.Available)
        {
            if (FunctionsHostScripts.Required)
            {
                throw new InvalidOperationException(FunctionsHostScripts.Missing);
            }

            return;
        }

        workDirectory = Path.Combine(Path.GetTempPath(), "queue-realhost-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(workDirectory);
        string repo = AzuriteProcess.FindRepositoryRoot()
            ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci` at the repository root.");
        Task<AzuriteProcess> storage = AzuriteProcess.StartAsync(repo, Path.Combine(workDirectory, "azurite"));
        if (Environment.GetEnvironmentVariable("REALHOST_APP_DIR") is not { Length: > 0 })
        {
            Publish();
        }

        azurite = await storage;
        host = await StartHostAsync("realhost-a", Settings(), Say);
    }

    /// <summary>Another host on this tier's Azurite and published app.</summary>
    public Task<FunctionsHostInstance> StartHostAsync(string instanceId, IReadOnlyDictionary<string, string> settings, Action<string>? output = null) =>
        FunctionsHostInstance.StartAsync(AppDirectory, HostHome, Azurite.ConnectionString, instanceId, settings, output ?? Say);

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        if (workDirectory is not null)
        {
            try { Directory.Delete(workDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    void Publish()
    {
        var clock = Stopwatch.StartNew();
        RepoFiles.ProcessResult result = RepoFiles.Run(
            "dotnet",
            ["publish", RepoFiles.PathOf("QueueFunctions", "QueueFunctions.csproj"), "-c", "Release", "-o", AppDirectory, "--nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(8));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        }

        Say($"Published the app to {AppDirectory} in {clock.Elapsed.TotalSeconds:0} s");
    }

    void Say(string line) => diagnostics.OnMessage(new DiagnosticMessage("[real host] " + line));

    static InvalidOperationException NotStarted() => new("The real-host tier is not started (no Functions host available).");
}

/// <summary>
/// The real-host tests share one host and run one at a time, after every other collection, so their timings are not
/// taken while the rest of the suite loads the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealHostCollection : ICollectionFixture<RealHostFixture>
{
    public const string Name = "RealHost";
}
