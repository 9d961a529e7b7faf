using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Engine;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Http;
using QueueFunctions.LocalHost.Triggers;

namespace QueueFunctions.LocalHost.Hosting;

public sealed partial class LocalQueueHost
{
    public static async Task<LocalQueueHost> StartAsync(LocalQueueHostOptions options, CancellationToken cancellationToken = default)
    {
        Action<string> progress = options.Progress ?? (_ => { });
        FunctionCatalog catalog = DiscoverFunctions(options.FunctionsAssembly, progress);
        WebApplicationBuilder builder = CreateWebBuilder(options);
        IConfiguration config = builder.Configuration;

        // Before anything starts: a value the Functions host would refuse stops this host too.
        HostSettings settings = HostSettings.Read(options, config, catalog, progress);
        var engine = new DurableEngine(settings.Engine);

        // The app reads its own storage connection (for example the queue-events queue) as on Azure.
        if (string.IsNullOrEmpty(config["AzureWebJobsStorage"]))
        {
            builder.Configuration["AzureWebJobsStorage"] = settings.Engine.StorageConnectionString;
        }

        HostServices.Add(builder.Services, options, config, engine);
        WebApplication app = builder.Build();
        TriggerListeners? triggers = null;
        try
        {
            progress($"Starting the Durable Task engine (task hub '{settings.Engine.TaskHubName}', worker id '{settings.Engine.WorkerId}') ...");
            ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
            await engine.StartAsync(catalog, app.Services, loggers, cancellationToken);
            triggers = CreateTriggers(catalog, settings, options, config, app.Services, engine, loggers);
            MapRequests(app, catalog, settings, options, config, engine);

            progress("Starting the web server ...");
            await app.StartAsync(cancellationToken);
            await StartTriggersAsync(triggers, settings.Queues, progress, cancellationToken);
        }
        catch
        {
            await AbandonStartAsync(app, engine, triggers);
            throw;
        }

        return new LocalQueueHost(app, engine, triggers, catalog, ListeningAddress(app));
    }

    static FunctionCatalog DiscoverFunctions(Assembly functions, Action<string> progress)
    {
        FunctionCatalog catalog = FunctionCatalog.Discover(functions);
        progress($"Found {catalog.HttpFunctions.Count} HTTP functions, {catalog.QueueFunctions.Count} queue functions, " +
                 $"{catalog.TimerFunctions.Count} timer functions, {catalog.Entities.Count} entities, {catalog.Orchestrators.Count} orchestrators " +
                 $"and {catalog.Activities.Count} activities in {functions.GetName().Name}.");
        return catalog;
    }

    static WebApplicationBuilder CreateWebBuilder(LocalQueueHostOptions options)
    {
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
        return builder;
    }

    static TriggerListeners CreateTriggers(
        FunctionCatalog catalog,
        HostSettings settings,
        LocalQueueHostOptions options,
        IConfiguration config,
        IServiceProvider services,
        DurableEngine engine,
        ILoggerFactory loggers)
    {
        QueueTriggerSettings queues = settings.Queues;

        // As the WebJobs queue listener: from 100 ms after a message, doubling while idle up to host.json's maxPollingInterval.
        var polling = new QueuePolling(
            TimeSpan.FromTicks(Math.Min(QueueTriggerSettings.MinPollingInterval.Ticks, queues.MaxPollingInterval.Ticks)),
            queues.MaxPollingInterval);
        return TriggerListeners.Create(
            catalog,
            new TriggerListenerSettings(
                settings.Engine.TaskHubName, polling, settings.Engine.ControlQueueVisibilityTimeout, queues, options.TimeProvider ?? TimeProvider.System),
            config,
            services,
            engine.Client,
            loggers);
    }

    /// <summary>Pages first (when there is a web root), then the app's HTTP functions, less those switched off.</summary>
    static void MapRequests(
        WebApplication app, FunctionCatalog catalog, HostSettings settings, LocalQueueHostOptions options, IConfiguration config, DurableEngine engine)
    {
        string? webRoot = options.WebRootPath ?? config[LocalHostConfigKeys.WebRoot];
        if (webRoot is not null && Directory.Exists(webRoot))
        {
            StaticPages.Use(app, Path.GetFullPath(webRoot));
        }

        app.UseRouting();
        HttpFunctionEndpoints.Map(app, catalog, settings.Keys, engine.Client, name => !settings.Disabled.Contains(name));
    }

    static async Task StartTriggersAsync(TriggerListeners triggers, QueueTriggerSettings queues, Action<string> progress, CancellationToken cancellationToken)
    {
        if (triggers.Queues.Count + triggers.Timers.Count > 0)
        {
            progress($"Starting {triggers.Queues.Count} queue and {triggers.Timers.Count} timer listeners " +
                     $"(queue batch size {queues.BatchSize}, max dequeue count {queues.MaxDequeueCount}, " +
                     $"retry after {queues.VisibilityTimeout}, message encoding {queues.MessageEncoding}, " +
                     $"polling at most every {queues.MaxPollingInterval}) ...");
        }

        await triggers.StartAsync(cancellationToken);
    }

    /// <summary>A start that failed part way leaves nothing running: what had started is stopped without draining.</summary>
    static async Task AbandonStartAsync(WebApplication app, DurableEngine engine, TriggerListeners? triggers)
    {
        if (triggers is not null)
        {
            await triggers.KillAsync();
        }

        await engine.KillAsync();
        await app.DisposeAsync();
    }

    static Uri ListeningAddress(WebApplication app)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }
}
