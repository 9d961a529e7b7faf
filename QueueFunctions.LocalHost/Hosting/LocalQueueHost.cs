using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.LocalHost.Engine;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Http;
using QueueFunctions.LocalHost.Triggers;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>
/// The app's functions on Kestrel plus its entities on the real Durable Task engine and Azure Storage (Azurite),
/// in one process, without the Azure Functions host.
/// </summary>
public sealed class LocalQueueHost : IAsyncDisposable
{
    readonly WebApplication app;
    readonly DurableEngine engine;
    readonly TriggerListeners triggers;
    int stopped;

    LocalQueueHost(WebApplication app, DurableEngine engine, TriggerListeners triggers, FunctionCatalog catalog, Uri baseAddress)
    {
        this.app = app;
        this.engine = engine;
        this.triggers = triggers;
        Catalog = catalog;
        BaseAddress = baseAddress;
    }

    /// <summary>Where Kestrel listens, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The engine client, the same object the app's functions receive as [DurableClient].</summary>
    public DurableTaskClient Client => engine.Client;

    public FunctionCatalog Catalog { get; }

    /// <summary>The app's services (the same container the functions and entities are built from).</summary>
    public IServiceProvider Services => app.Services;

    public string TaskHubName => engine.Settings.TaskHubName;

    /// <summary>The engine's settings in effect: host.json's as the extension reads them, under the local overrides.</summary>
    public DurableEngineSettings EngineSettings => engine.Settings;

    /// <summary>This host's Durable Task worker id (unique per host unless configured).</summary>
    public string WorkerId => engine.Settings.WorkerId;

    /// <summary>
    /// The occurrence this host is waiting for to run the timer function; null while it does not run the timer (disabled,
    /// another host holds its lock) or the function is running. Set only once the wait has begun, so a test can wait for
    /// it and then move a fake clock past it.
    /// </summary>
    public DateTimeOffset? NextTimerOccurrence(string functionName) =>
        triggers.Timers.FirstOrDefault(t => string.Equals(t.Name, functionName, StringComparison.OrdinalIgnoreCase))?.NextOccurrence;

    /// <summary>Signalled when the web host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public CancellationToken Stopping => app.Lifetime.ApplicationStopping;

    public static async Task<LocalQueueHost> StartAsync(LocalQueueHostOptions options, CancellationToken cancellationToken = default)
    {
        Action<string> progress = options.Progress ?? (_ => { });
        FunctionCatalog catalog = FunctionCatalog.Discover(options.FunctionsAssembly);
        progress($"Found {catalog.HttpFunctions.Count} HTTP functions, {catalog.QueueFunctions.Count} queue functions, " +
                 $"{catalog.TimerFunctions.Count} timer functions, {catalog.Entities.Count} entities, {catalog.Orchestrators.Count} orchestrators " +
                 $"and {catalog.Activities.Count} activities in {options.FunctionsAssembly.GetName().Name}.");

        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(options.Configuration);
        IConfiguration config = builder.Configuration;

        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Azure", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        options.ConfigureLogging?.Invoke(builder.Logging);

        string urls = options.Urls ?? config[LocalHostConfigKeys.Urls] ?? config["urls"] ?? LocalHostConfigKeys.DefaultUrls;
        builder.WebHost.UseUrls(urls);

        string hostJsonPath = options.HostJsonPath ?? config[LocalHostConfigKeys.HostJsonPath] ?? QueueTriggerSettings.DefaultHostJsonPath;
        if ((options.HostJsonPath ?? config[LocalHostConfigKeys.HostJsonPath]) is not null && !File.Exists(hostJsonPath))
        {
            throw new InvalidOperationException($"host.json not found at {hostJsonPath} (from {nameof(LocalQueueHostOptions.HostJsonPath)} or {LocalHostConfigKeys.HostJsonPath}).");
        }

        // Before anything starts: a value the Functions host would refuse stops this host too.
        DurableExtensionSettings extension = DurableExtensionSettings.Load(config, hostJsonPath, new ProgressLogger(progress));
        QueueTriggerSettings queueSettings = QueueTriggerSettings.Load(config, hostJsonPath);
        TimeSpan? localVisibility = options.QueueVisibilityTimeout
            ?? (int.TryParse(config[LocalHostConfigKeys.QueueVisibilityTimeoutSeconds], out int seconds) ? TimeSpan.FromSeconds(seconds) : null);
        var settings = new DurableEngineSettings
        {
            Extension = extension,
            StorageConnectionString = options.StorageConnectionString
                ?? config[LocalHostConfigKeys.StorageConnectionString]
                ?? config["AzureWebJobsStorage"]
                ?? throw new InvalidOperationException(
                    $"No storage connection string: set {LocalHostConfigKeys.StorageConnectionString} (or AzureWebJobsStorage)."),
            TaskHubName = options.TaskHubName ?? config[LocalHostConfigKeys.TaskHub] ?? LocalHostConfigKeys.DefaultTaskHub,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval
                ?? (int.TryParse(config[LocalHostConfigKeys.MaxQueuePollingIntervalMs], out int ms) ? TimeSpan.FromMilliseconds(ms) : extension.Storage.MaxQueuePollingInterval),
            PartitionCount = int.TryParse(config[LocalHostConfigKeys.PartitionCount], out int partitions) ? partitions : extension.Storage.PartitionCount,
            ControlQueueVisibilityTimeout = localVisibility ?? extension.Storage.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = localVisibility is null ? extension.Storage.WorkItemQueueVisibilityTimeout : null,
            WorkerId = options.WorkerId ?? (config[LocalHostConfigKeys.WorkerId] is { Length: > 0 } id ? id : DurableEngineSettings.NewWorkerId()),
            LeaseInterval = double.TryParse(config[LocalHostConfigKeys.LeaseIntervalSeconds], CultureInfo.InvariantCulture, out double lease)
                ? TimeSpan.FromSeconds(lease) : TimeSpan.FromSeconds(30),
            LeaseRenewInterval = double.TryParse(config[LocalHostConfigKeys.LeaseRenewIntervalSeconds], CultureInfo.InvariantCulture, out double renew)
                ? TimeSpan.FromSeconds(renew) : TimeSpan.FromSeconds(10),
            UseTablePartitionManagement = bool.TryParse(config[LocalHostConfigKeys.UseTablePartitionManagement], out bool table) ? table : extension.Storage.UseTablePartitionManagement,
            FailureBackoff = int.TryParse(config[LocalHostConfigKeys.FailureBackoffSeconds], out int backoff) ? TimeSpan.FromSeconds(backoff) : DurableEngineSettings.DefaultFailureBackoff,
        };
        var engine = new DurableEngine(settings);
        string[] disabled = catalog.HttpFunctions.Select(f => f.Name)
            .Concat(catalog.QueueFunctions.Select(f => f.Name))
            .Concat(catalog.TimerFunctions.Select(f => f.Name))
            .Where(name => FunctionSwitches.IsDisabled(config, name))
            .ToArray();
        if (disabled.Length > 0)
        {
            progress($"Disabled by their AzureWebJobs.<name>.Disabled setting: {string.Join(", ", disabled)}.");
        }

        string functionKey = options.FunctionKey ?? config[LocalHostConfigKeys.FunctionKey] ?? LocalHostConfigKeys.DefaultFunctionKey;
        string masterKey = options.MasterKey ?? config[LocalHostConfigKeys.MasterKey] ?? functionKey;
        if (functionKey.Length == 0 || masterKey.Length == 0)
        {
            // An empty key cannot be presented, so every staff route would answer 401: a setting left blank by mistake.
            throw new InvalidOperationException($"{LocalHostConfigKeys.FunctionKey} and {LocalHostConfigKeys.MasterKey} may not be empty.");
        }

        var keys = new FunctionKeys(functionKey, masterKey);

        // The app reads its own storage connection (for example the queue-events queue) as on Azure.
        if (string.IsNullOrEmpty(config["AzureWebJobsStorage"]))
        {
            builder.Configuration["AzureWebJobsStorage"] = settings.StorageConnectionString;
        }

        IServiceCollection services = builder.Services;
        options.ConfigureServices?.Invoke(services, config);
        if (options.TimeProvider is not null)
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(options.TimeProvider);
        }
        else
        {
            services.TryAddSingleton(TimeProvider.System);
        }

        // Every logger of the host, ASP.NET Core's request log included, comes from this factory: see RedactingLoggerFactory.
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new RedactingLoggerFactory(new LoggerFactory(
            provider.GetServices<ILoggerProvider>(),
            provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            provider.GetService<IOptions<LoggerFactoryOptions>>(),
            provider.GetService<IExternalScopeProvider>()))));

        // Whoever starts the host stops it: see SignalFreeLifetime.
        services.AddSingleton<IHostLifetime, SignalFreeLifetime>();

        // ObjectResult, JsonResult and friends need MVC's result executors and formatters, as on Azure.
        services.AddMvcCore();
        services.AddSingleton(engine);
        services.AddSingleton<DurableTaskClient>(_ => engine.Client);
        services.AddSingleton(_ => engine.Client);

        WebApplication app = builder.Build();
        TriggerListeners? triggers = null;
        try
        {
            progress($"Starting the Durable Task engine (task hub '{settings.TaskHubName}', worker id '{settings.WorkerId}') ...");
            ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
            await engine.StartAsync(catalog, app.Services, loggers, cancellationToken);

            // As the WebJobs queue listener: from 100 ms after a message, doubling while idle up to host.json's maxPollingInterval.
            var polling = new QueuePolling(
                TimeSpan.FromTicks(Math.Min(QueueTriggerSettings.MinPollingInterval.Ticks, queueSettings.MaxPollingInterval.Ticks)),
                queueSettings.MaxPollingInterval);
            triggers = TriggerListeners.Create(
                catalog,
                new TriggerListenerSettings(
                    settings.TaskHubName, polling, settings.ControlQueueVisibilityTimeout, queueSettings, options.TimeProvider ?? TimeProvider.System),
                config,
                app.Services,
                engine.Client,
                loggers);

            string? webRoot = options.WebRootPath ?? config[LocalHostConfigKeys.WebRoot];
            if (webRoot is not null && Directory.Exists(webRoot))
            {
                UseStaticPages(app, Path.GetFullPath(webRoot));
            }

            app.UseRouting();
            HttpFunctionEndpoints.Map(app, catalog, keys, engine.Client, name => !disabled.Contains(name));

            progress("Starting the web server ...");
            await app.StartAsync(cancellationToken);

            if (triggers.Queues.Count + triggers.Timers.Count > 0)
            {
                progress($"Starting {triggers.Queues.Count} queue and {triggers.Timers.Count} timer listeners " +
                         $"(queue batch size {queueSettings.BatchSize}, max dequeue count {queueSettings.MaxDequeueCount}, " +
                         $"retry after {queueSettings.VisibilityTimeout}, message encoding {queueSettings.MessageEncoding}, " +
                         $"polling at most every {queueSettings.MaxPollingInterval}) ...");
            }

            await triggers.StartAsync(cancellationToken);
        }
        catch
        {
            if (triggers is not null)
            {
                await triggers.KillAsync();
            }

            await engine.KillAsync();
            await app.DisposeAsync();
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalQueueHost(app, engine, triggers, catalog, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Serves the web root; a page path without extension (/kiosk) serves the matching .html file.</summary>
    static void UseStaticPages(WebApplication app, string webRoot)
    {
        var files = new PhysicalFileProvider(webRoot);
        app.Use((context, next) =>
        {
            PathString path = context.Request.Path;
            if ((HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                && path.HasValue && path.Value!.Length > 1 && !Path.HasExtension(path.Value)
                && files.GetFileInfo(path.Value.TrimEnd('/') + ".html").Exists)
            {
                context.Request.Path = path.Value.TrimEnd('/') + ".html";
            }

            return next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
    }

    /// <summary>
    /// Graceful stop: queue and timer functions in progress, HTTP requests and in-flight engine work are drained
    /// (if <paramref name="cancellationToken"/> fires first, running queue and timer functions are cancelled).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        await triggers.StopAsync(cancellationToken);
        await app.StopAsync(cancellationToken);
        await engine.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// Graceful stop in bounded time, for a program someone waits on: the web server and the queue and timer listeners,
    /// then the engine, which hands its partition leases back so that the next host takes them at once. Each step gets
    /// <paramref name="drainLimit"/> to finish its requests and function runs before they are cut short, and the engine
    /// <paramref name="engineLimit"/>: without storage it would retry its lease release for minutes, so it is left behind
    /// to end with the process (its leases then expire as a crashed host's do). False if any step was given up.
    /// </summary>
    public async Task<bool> StopWithinAsync(TimeSpan drainLimit, TimeSpan engineLimit, Action<string> progress)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return true;
        }

        // The grace past the drain limit lets a cut-short step unwind; past it the step is abandoned.
        TimeSpan stepLimit = drainLimit + TimeSpan.FromSeconds(0.5);
        // Independent of each other, so side by side; both before the engine, which their requests and runs may wait on.
        bool[] drained = await Task.WhenAll(
            StopStep.RunAsync("the web server", async () =>
            {
                using var drain = new CancellationTokenSource(drainLimit);
                await app.StopAsync(drain.Token);
            }, stepLimit, progress),
            StopStep.RunAsync("the queue and timer listeners", async () =>
            {
                using var drain = new CancellationTokenSource(drainLimit);
                await triggers.StopAsync(drain.Token);
            }, stepLimit, progress));
        bool clean = drained.All(done => done);
        clean &= await StopStep.RunAsync("the Durable Task engine (handing its partitions back)", engine.StopAsync, engineLimit, progress);
        clean &= await StopStep.RunAsync("the web host's services", async () => await app.DisposeAsync(), TimeSpan.FromSeconds(1), _ => { });
        return clean;
    }

    /// <summary>
    /// Simulated crash: Kestrel is torn down with no grace period and the engine stopped forced, without waiting for
    /// in-flight work items. Whatever was not checkpointed is left to the next host on the same storage.
    /// </summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        Task web = app.StopAsync(expired.Token);
        Task work = engine.KillAsync();
        Task listeners = triggers.KillAsync();
        try
        {
            await Task.WhenAll(web, work, listeners);
        }
        catch (OperationCanceledException)
        {
            // Expected with an expired token.
        }

        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
