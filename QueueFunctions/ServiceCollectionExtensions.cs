using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.FloodControl;
using QueueFunctions.History;
using QueueFunctions.Overview;
using QueueFunctions.Pages;
using QueueFunctions.Push;
using QueueFunctions.Queueing;
using QueueFunctions.Queueing.Endpoints;
using QueueFunctions.Visits;

namespace QueueFunctions;

public static class ServiceCollectionExtensions
{
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>
    /// Everything the queue's functions and entity need. Shared by the Functions host and by any other
    /// host of the same code, so both run with the same services and settings.
    /// </summary>
    public static IServiceCollection AddClinicQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueueOptions>()
            .Bind(configuration.GetSection(QueueOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPinGenerator, RandomPinGenerator>();
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<QueueOptions>>().Value.ToRules());
        services.TryAddSingleton<ClinicDirectory>();
        services.TryAddSingleton<ClinicStateReader>();
        services.TryAddSingleton(WatchPace.Default);
        services.TryAddSingleton<ClinicWatchers>();
        services.TryAddSingleton<ClinicQueueClient>();
        services.TryAddSingleton(PublisherWatch.Default);

        services.AddOptions<FloodLimitOptions>()
            .Bind(configuration.GetSection(FloodLimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<FloodLimiters>();

        services.AddOptions<VisitOptions>()
            .Bind(configuration.GetSection(VisitOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VisitOptions>, VisitOptionsValidator>());
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<VisitOptions>>().Value.ToRules());
        services.TryAddSingleton<VisitClient>();
        services.TryAddSingleton<IVisitSteps, VisitSteps>();
        services.TryAddSingleton<StaticAssets>();

        services.AddOptions<HistoryOptions>()
            .Bind(configuration.GetSection(HistoryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<OverviewOptions>()
            .Bind(configuration.GetSection(OverviewOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The same storage account as the Functions host and the task hub: a connection string locally,
        // identity-based settings (AzureWebJobsStorage__queueServiceUri, __tableServiceUri, __credential,
        // __clientId) in Azure.
        var storage = configuration.GetSection(StorageConnection);
        services.AddAzureClients(clients =>
        {
            clients.AddQueueServiceClient(StorageSettings.ForQueues(storage));
            clients.AddTableServiceClient(StorageSettings.ForTables(storage));
        });
        services.TryAddSingleton<QueueEventsQueue>();
        services.TryAddSingleton<IQueueEventsSender>(provider => provider.GetRequiredService<QueueEventsQueue>());
        services.TryAddSingleton<HistoryTable>();
        services.TryAddSingleton<IdempotentReplies>();
        services.TryAddSingleton<PoisonQueueEvents>();

        // One handler per route; the endpoint classes that declare the routes call them.
        services.TryAddSingleton<EnterHandler>();
        services.TryAddSingleton<StatusHandler>();
        services.TryAddSingleton<DoneHandler>();
        services.TryAddSingleton<CallHandler>();
        services.TryAddSingleton<ResetHandler>();
        services.TryAddSingleton<TicketsHandler>();
        services.TryAddSingleton<PinStatusHandler>();
        services.TryAddSingleton<StartVisitHandler>();
        services.TryAddSingleton<GetVisitHandler>();
        services.TryAddSingleton<DailyReportHandler>();
        services.TryAddSingleton<RangeReportHandler>();
        services.TryAddSingleton<TodayWaits>();
        services.TryAddSingleton<OverviewBuilder>();
        services.TryAddSingleton<OverviewHandler>();
        services.TryAddSingleton<OverviewStreamHandler>();

        // After queue-events: the clinics send to every registered queue, and push adds its own only when it is set up.
        services.AddWebPush(configuration);
        return services;
    }
}
