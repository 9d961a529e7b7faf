using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Entities;
using QueueFunctions.Queueing;
using QueueFunctions.Realtime;

namespace QueueFunctions;

public static class ServiceCollectionExtensions
{
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
        return services;
    }
}
