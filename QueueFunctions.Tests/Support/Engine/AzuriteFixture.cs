using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Tests.Support.Engine.Sample;

namespace QueueFunctions.Tests.Support.Engine;

/// <summary>
/// One Azurite for the engine tests, started from the repository's node_modules (run <c>npm ci</c> first) on free
/// ports with a temporary data folder. Each test uses its own task hub, and can start several hosts on it.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    AzuriteProcess? azurite;

    public string ConnectionString => (azurite ?? throw new InvalidOperationException("Azurite is not started.")).ConnectionString;

    public async Task InitializeAsync()
    {
        string repo = AzuriteProcess.FindRepositoryRoot()
            ?? throw new InvalidOperationException(
                "Azurite is not installed: no node_modules/azurite above " + AppContext.BaseDirectory +
                ". Run `npm ci` at the repository root before the engine tests.");
        string data = Path.Combine(Path.GetTempPath(), "queue-engine-tests-" + Guid.NewGuid().ToString("N"));
        azurite = await AzuriteProcess.StartAsync(repo, data);
    }

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            string? data = azurite.DataDirectory;
            await azurite.DisposeAsync();
            if (data is not null)
            {
                try { Directory.Delete(data, recursive: true); } catch (IOException) { }
            }
        }
    }

    public static string NewTaskHubName() => "t" + Guid.NewGuid().ToString("N")[..16];

    public const string TestFunctionKey = "engine-test-function-key";
    public const string TestMasterKey = "engine-test-master-key";

    /// <summary>
    /// Starts the local host on the sample app in this test assembly, on a free port. The sample's queues are named after
    /// the task hub (so each test has its own) and its timer runs hourly; <paramref name="settings"/> add or override
    /// configuration, and <paramref name="logs"/> receives the host's logs.
    /// </summary>
    public Task<LocalQueueHost> StartHostAsync(
        string taskHub,
        TimeProvider? time = null,
        TimeSpan? queueVisibilityTimeout = null,
        IDictionary<string, string?>? settings = null,
        ILoggerProvider? logs = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Sample:Label"] = "from-test-config",
            [SampleTriggerFunctions.QueuePrefixSetting] = taskHub,
            [SampleTriggerFunctions.TimerScheduleSetting] = "0 0 * * * *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return LocalQueueHost.StartAsync(new LocalQueueHostOptions
        {
            FunctionsAssembly = typeof(TallyEntity).Assembly,
            ConfigureServices = (s, c) => s.AddSampleApp(c),
            StorageConnectionString = ConnectionString,
            TaskHubName = taskHub,
            Urls = "http://127.0.0.1:0",
            FunctionKey = TestFunctionKey,
            MasterKey = TestMasterKey,
            TimeProvider = time,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(100),
            QueueVisibilityTimeout = queueVisibilityTimeout,
            Configuration = configuration,
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.AddDebug();
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                }

                if (Environment.GetEnvironmentVariable("ENGINE_TEST_LOG") is { Length: > 0 } logFile)
                {
                    logging.AddProvider(new FileLoggerProvider(logFile));
                    logging.AddFilter("DurableTask", LogLevel.Information);
                }
            },
        });
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Engine";
}
