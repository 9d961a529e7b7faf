using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Support.Engine;

/// <summary>Starts the real queue app (its own functions and entity) on the local host, and talks to it over HTTP.</summary>
public static class QueueAppHost
{
    public const string StaffKey = AzuriteFixture.TestFunctionKey;

    public static Task<LocalQueueHost> StartQueueAppAsync(
        this AzuriteFixture azurite,
        string taskHub,
        TimeProvider? time = null,
        IPinGenerator? pins = null,
        IDictionary<string, string?>? settings = null,
        TimeSpan? queueVisibilityTimeout = null,
        CapturedLogs? logs = null,
        Func<IServiceProvider, IQueueEventsSender>? sender = null,
        PublisherWatch? publisherWatch = null,
        Func<IServiceProvider, QueueFunctions.History.HistoryTable>? history = null,
        Action<IServiceCollection>? services = null) =>
        StartQueueAppAsync(azurite.ConnectionString, taskHub, time, pins, settings, queueVisibilityTimeout, logs, sender, publisherWatch, history, services);

    /// <summary>The same, on storage of the test's own (for a test that stops and starts it).</summary>
    /// <param name="logs">Receives every log entry of every category that it is set to keep, whatever the host's own filters.</param>
    /// <param name="sender">Where the clinic entities and their publishers send changes, in place of <c>queue-events</c> (a fault to inject).</param>
    /// <param name="publisherWatch">
    /// A shorter watch on the clinics' publishers than the app's 5 minutes, for a test that waits for a replacement, or
    /// for the task hub to fall idle: each publisher leaves a check scheduled for the end of the watch's limit.
    /// </param>
    /// <param name="history">The app's history table in place of its own (one whose storage requests a test counts).</param>
    /// <param name="services">Changes to the app's services after its own registration (a push client that trusts a test's receiver).</param>
    public static Task<LocalQueueHost> StartQueueAppAsync(
        string storageConnectionString,
        string taskHub,
        TimeProvider? time = null,
        IPinGenerator? pins = null,
        IDictionary<string, string?>? settings = null,
        TimeSpan? queueVisibilityTimeout = null,
        CapturedLogs? logs = null,
        Func<IServiceProvider, IQueueEventsSender>? sender = null,
        PublisherWatch? publisherWatch = null,
        Func<IServiceProvider, QueueFunctions.History.HistoryTable>? history = null,
        Action<IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?>(
            TimerSchedules.Defaults.Select(d => KeyValuePair.Create(d.Key, (string?)d.Value)))
        {
            // Under a burst on a shared 2-core machine confirmation can take a while; a 504 here would be noise.
            ["Queue:ConfirmTimeoutSeconds"] = "60",
            // Each test its own history, as each app has its own: tests share one Azurite.
            ["History:TableName"] = "history" + taskHub,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return LocalQueueHost.StartAsync(new LocalQueueHostOptions
        {
            FunctionsAssembly = typeof(ClinicQueueEntity).Assembly,
            ConfigureServices = (app, config) =>
            {
                if (pins is not null)
                {
                    app.AddSingleton(pins);
                }

                if (sender is not null)
                {
                    app.AddSingleton(sender);
                }

                if (publisherWatch is not null)
                {
                    app.AddSingleton(publisherWatch);
                }

                if (history is not null)
                {
                    app.AddSingleton(history);
                }

                app.AddClinicQueue(config);
                services?.Invoke(app);
            },
            StorageConnectionString = storageConnectionString,
            TaskHubName = taskHub,
            Urls = "http://127.0.0.1:0",
            FunctionKey = AzuriteFixture.TestFunctionKey,
            MasterKey = AzuriteFixture.TestMasterKey,
            TimeProvider = time,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(100),
            QueueVisibilityTimeout = queueVisibilityTimeout,
            Configuration = configuration,
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                if (logs is not null)
                {
                    // A rule for this provider alone outranks the host's per-category filters, so nothing is held back.
                    logging.AddProvider(logs);
                    logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
                }

                if (Environment.GetEnvironmentVariable("ENGINE_TEST_LOG") is { Length: > 0 } logFile)
                {
                    logging.AddProvider(new FileLoggerProvider(logFile));
                }
            },
        });
    }

    /// <summary>An HTTP client with no cap on connections: every open event stream holds one.</summary>
    public static HttpClient NewHttp(this LocalQueueHost host) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };

    public static async Task<(int Status, JsonElement Body)> PostAsync(this HttpClient http, string path, object body, bool staff = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (staff)
        {
            request.Headers.Add("x-functions-key", StaffKey);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(int Status, JsonElement Body)> GetJsonAsync(this HttpClient http, string path, bool staff = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (staff)
        {
            request.Headers.Add("x-functions-key", StaffKey);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    public static Task<(int Status, JsonElement Body)> EnterAsync(this HttpClient http, string clinic, string user) =>
        http.PostAsync("api/v1/queue/enter", new { clinic, user });

    /// <summary>What the entity itself stores for the clinic, read through the engine client.</summary>
    public static async Task<ClinicQueueState?> StoredStateAsync(this LocalQueueHost host, string clinic) =>
        (await host.Client.Entities.GetEntityAsync<ClinicQueueState>(ClinicStateReader.EntityIdOf(clinic)))?.State;

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
