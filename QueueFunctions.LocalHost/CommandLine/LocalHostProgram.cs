using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.LocalHost.CommandLine;

/// <summary>
/// The command-line program: Azurite (already running on 10000-10002, or started from the repository's node_modules
/// with data in &lt;repo&gt;/.azurite/), the engine, and the app's functions on http://127.0.0.1:7071.
/// </summary>
public static class LocalHostProgram
{
    /// <summary>Name of the Functions app assembly run by the program.</summary>
    public const string AppAssemblyName = "QueueFunctions";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["vapid-keys", .. var rest])
        {
            return VapidKeysCommand.Run(rest);
        }

        Assembly functions = Assembly.Load(AppAssemblyName);
        Action<IServiceCollection, IConfiguration>? configure = FindServiceRegistration(functions, out string? registration);
        return await RunAsync(args, functions, configure, registration);
    }

    public static async Task<int> RunAsync(
        string[] args, Assembly functionsAssembly, Action<IServiceCollection, IConfiguration>? configureServices, string? registrationName = null)
    {
        using var stop = new CancellationTokenSource();
        using var signals = new StopSignals(stop);

        string? repo = AzuriteProcess.FindRepositoryRoot() ?? AzuriteProcess.FindRepositoryRoot(Directory.GetCurrentDirectory());
        AzuriteProcess? azurite = null;
        LocalQueueHost? host = null;
        try
        {
            var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
            string? connection = config[LocalHostConfigKeys.StorageConnectionString];
            if (connection is null)
            {
                azurite = await ProgramAzurite.UseOrStartAsync(config, repo, stop.Token);
                if (azurite is null)
                {
                    Console.Error.WriteLine("Cannot find the repository root (with node_modules/azurite). Run `npm ci` at the repository root.");
                    return 2;
                }

                connection = azurite.ConnectionString;
            }

            string? webRoot = config[LocalHostConfigKeys.WebRoot] ?? DefaultWebRoot(repo);
            PrintServiceRegistration(registrationName);
            LocalQueueHostOptions options = HostOptions(args, functionsAssembly, configureServices, config, connection, webRoot);
            foreach (var (key, value) in DevelopmentPushKeys.For(config, repo, Console.WriteLine))
            {
                options.Configuration[key] = value;
            }

            host = await LocalQueueHost.StartAsync(options, stop.Token);
            PrintRoutes(host, webRoot);
            await RunUntilStoppedAsync(host, stop);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await ProgramStop.StopAsync(host, azurite);
        }
    }

    /// <summary>The app's pages in the repository, else a wwwroot beside the program; null when there is neither.</summary>
    static string? DefaultWebRoot(string? repo)
    {
        string[] candidates =
        [
            .. repo is null ? Array.Empty<string>() : [Path.Combine(repo, AppAssemblyName, "wwwroot")],
            Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        ];
        return candidates.FirstOrDefault(Directory.Exists);
    }

    static void PrintServiceRegistration(string? registrationName) =>
        Console.WriteLine(registrationName is null
            ? "App services: none registered (no Add*(IServiceCollection, IConfiguration) method found in the app)."
            : $"App services: {registrationName}.");

    static LocalQueueHostOptions HostOptions(
        string[] args, Assembly functionsAssembly, Action<IServiceCollection, IConfiguration>? configureServices, IConfiguration config, string connection, string? webRoot) =>
        new()
        {
            FunctionsAssembly = functionsAssembly,
            ConfigureServices = configureServices,
            StorageConnectionString = connection,
            WebRootPath = webRoot,
            Args = args,
            // What infra/ and local.settings.sample.json set for the app, unless this run sets it.
            Configuration = TimerSchedules.Defaults
                .Where(d => config[d.Key] is null)
                .ToDictionary(d => d.Key, d => (string?)d.Value),
            Progress = Console.WriteLine,
        };

    static void PrintRoutes(LocalQueueHost host, string? webRoot)
    {
        foreach (HttpFunction f in host.Catalog.HttpFunctions)
        {
            Console.WriteLine($"  {string.Join(",", f.Methods ?? ["*"]),-10} /{f.Route}  ({f.Name}, {f.AuthLevel})");
        }

        if (webRoot is not null)
        {
            Console.WriteLine($"  Pages from {webRoot}");
        }
    }

    /// <summary>Says the program is running and waits for a stop signal, or for the web host to stop by itself.</summary>
    static async Task RunUntilStoppedAsync(LocalQueueHost host, CancellationTokenSource stop)
    {
        using CancellationTokenRegistration onStopping = host.Stopping.Register(stop.Cancel);
        Console.WriteLine($"Clinic queue running at {host.BaseAddress.ToString().TrimEnd('/')}");
        Console.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The app's service registration: its one public static method Add*(this IServiceCollection, IConfiguration)
    /// (for the clinic queue, AddClinicQueue). None: the app is run without extra services.
    /// </summary>
    public static Action<IServiceCollection, IConfiguration>? FindServiceRegistration(Assembly functions, out string? description)
    {
        MethodInfo[] candidates = functions.GetExportedTypes()
            .Where(t => t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.Name.StartsWith("Add", StringComparison.Ordinal)
                && m.GetParameters() is [var s, var c] && s.ParameterType == typeof(IServiceCollection) && c.ParameterType == typeof(IConfiguration))
            .ToArray();
        if (candidates.Length > 1)
        {
            throw new InvalidOperationException(
                "Several service registrations found: " + string.Join(", ", candidates.Select(m => $"{m.DeclaringType}.{m.Name}")));
        }

        if (candidates.Length == 0)
        {
            description = null;
            return null;
        }

        MethodInfo method = candidates[0];
        description = $"{method.DeclaringType!.FullName}.{method.Name}";
        return (s, c) => method.Invoke(null, [s, c]);
    }
}
