using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Queueing;

namespace QueueFunctions.Push;

/// <summary>Web Push's services. Internal, so the local host still finds the app's one public registration.</summary>
internal static class PushServices
{
    public static IServiceCollection AddWebPush(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PushOptions>()
            .Bind(configuration.GetSection(PushOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PushOptions>, PushOptionsValidator>());
        services.TryAddSingleton<PushGate>();
        services.TryAddSingleton<SubscriptionTable>();
        services.TryAddSingleton<VapidSigner>();
        services.TryAddTransient<VapidAudienceHandler>();
        services.TryAddSingleton<WebPushSender>();
        services.TryAddSingleton<PushEventsQueue>();
        services.TryAddSingleton<PublicKeyHandler>();
        services.TryAddSingleton<SubscribeHandler>();
        services.TryAddSingleton<UnsubscribeHandler>();

        // The server posts to URLs that clients gave: no redirect is followed, so an allowed push host cannot send
        // the request on to one that is not (Push:AllowedHosts).
        services.AddHttpClient(WebPushSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<VapidAudienceHandler>();

        // Clinic changes are copied to push-events only when push can send: an app without keys sends nothing extra.
        var options = new PushOptions();
        configuration.GetSection(PushOptions.Section).Bind(options);
        if (options.IsConfigured)
        {
            services.AddSingleton<IQueueEventsSender>(provider => provider.GetRequiredService<PushEventsQueue>());
        }

        return services;
    }
}
