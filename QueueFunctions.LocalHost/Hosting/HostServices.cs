using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.LocalHost.Engine;
using QueueFunctions.LocalHost.Http;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>The app's own services, and what the host adds so that they run as on the Functions host.</summary>
static class HostServices
{
    public static void Add(IServiceCollection services, LocalQueueHostOptions options, IConfiguration config, DurableEngine engine)
    {
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
    }
}
