using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;

namespace QueueFunctions.LocalHost.Engine;

/// <summary>
/// host.json's <c>extensions.durableTask</c> section, bound and validated by the Durable extension's own options classes
/// (Microsoft.Azure.WebJobs.Extensions.DurableTask, the version the app's publish output loads), so that the local host
/// refuses exactly what the Functions host refuses instead of a copy of its rules that can drift. As on Azure, an app
/// setting <c>AzureFunctionsJobHost__extensions__durableTask__&lt;name&gt;</c> overrides the file.
/// </summary>
public sealed partial class DurableExtensionSettings
{
    public const string HostJsonSection = "extensions:durableTask";
    public const string OverrideSection = "AzureFunctionsJobHost:extensions:durableTask";
    const string StorageProviderKey = "storageProvider";

    DurableExtensionSettings(DurableTaskOptions options, AzureStorageOptions storage)
    {
        Options = options;
        Storage = storage;
    }

    /// <summary>The extension's options as the Functions host binds them (hub name, entity batch size, concurrency).</summary>
    public DurableTaskOptions Options { get; }

    /// <summary><c>storageProvider</c>, bound into the Azure Storage provider's options as the extension's factory does.</summary>
    public AzureStorageOptions Storage { get; }

    /// <summary>What the extension runs with when host.json says nothing.</summary>
    public static DurableExtensionSettings Defaults() => Bind(new ConfigurationBuilder().Build(), "(defaults)", new ConfigurationBuilder().Build(), null);

    /// <summary>
    /// Reads <paramref name="hostJsonPath"/> (when it exists) and the overrides in <paramref name="configuration"/>, and
    /// validates them. An invalid value throws <see cref="InvalidOperationException"/> naming the setting, its value and where
    /// it came from, followed by the extension's own message.
    /// </summary>
    /// <param name="warnings">Receives the extension's warnings (e.g. a batch larger than the buffer), as the host logs them.</param>
    public static DurableExtensionSettings Load(IConfiguration configuration, string hostJsonPath, ILogger? warnings = null)
    {
        IConfiguration file = File.Exists(hostJsonPath)
            ? new ConfigurationBuilder().AddJsonFile(hostJsonPath, optional: false, reloadOnChange: false).Build()
            : new ConfigurationBuilder().Build();
        return Bind(file, hostJsonPath, configuration, warnings);
    }

    static DurableExtensionSettings Bind(IConfiguration file, string hostJsonPath, IConfiguration configuration, ILogger? warnings)
    {
        // The host's configuration puts the app setting over host.json key by key; the same merge here.
        IConfigurationSection overrides = configuration.GetSection(OverrideSection);
        IConfiguration merged = new ConfigurationBuilder()
            .AddConfiguration(file)
            .AddInMemoryCollection(overrides.AsEnumerable(makePathsRelative: true)
                .Where(pair => pair.Value is not null)
                .Select(pair => new KeyValuePair<string, string?>($"{HostJsonSection}:{pair.Key}", pair.Value)))
            .Build();
        IConfigurationSection section = merged.GetSection(HostJsonSection);
        string Where(string key) =>
            overrides.GetSection(key).Value is not null ? $"{OverrideSection} in configuration" : hostJsonPath;

        var options = new DurableTaskOptions();
        var storage = new AzureStorageOptions();
        try
        {
            // The WebJobs host binds the section onto the options with the configuration binder.
            section.Bind(options);

            // The extension's factory: storageProvider goes through Newtonsoft onto a fresh AzureStorageOptions.
            JsonConvert.PopulateObject(JsonConvert.SerializeObject(options.StorageProvider), storage);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            throw new InvalidOperationException(
                $"Invalid host.json section extensions.durableTask (from {OverrideSection} in configuration or {hostJsonPath}): {e.Message}", e);
        }

        // As the factory: an explicit legacy opt-in turns the table partition manager (the 3.x default) off.
        if (storage.UseLegacyPartitionManagement && section.GetSection(StorageProviderKey).GetSection("useTablePartitionManagement").Value is null)
        {
            storage.UseTablePartitionManagement = false;
        }

        ApplyHostDefaults(options);
        ILogger logger = warnings ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Validate(() => storage.Validate(logger), section.GetSection(StorageProviderKey), $"{StorageProviderKey}:", Where);
        Validate(() => ValidateOptions(options, configuration), section, "", Where);
        if (section["hubName"] is { Length: > 0 })
        {
            Validate(() => storage.ValidateHubName(options.HubName), section, "", Where, "hubName");
        }

        if (!string.IsNullOrEmpty(storage.TrackingStoreConnectionName))
        {
            // A second storage account for history and instances: the local host runs on one account only.
            throw new InvalidOperationException(
                $"host.json extensions.durableTask.storageProvider.trackingStoreConnectionName (from {Where("storageProvider:trackingStoreConnectionName")}) is not supported by the local host.");
        }

        return new DurableExtensionSettings(options, storage);
    }

    /// <summary>
    /// The values the extension's Azure Storage factory fills in when host.json leaves them unset, outside the
    /// Consumption plan (where it picks smaller ones: 5 orchestrations, 10 activities, batches of 50).
    /// </summary>
    static void ApplyHostDefaults(DurableTaskOptions options)
    {
        int perMachine = 10 * Environment.ProcessorCount;
        options.MaxConcurrentOrchestratorFunctions ??= perMachine;
        options.MaxConcurrentActivityFunctions ??= perMachine;
        options.MaxConcurrentEntityFunctions ??= perMachine;
        options.MaxEntityOperationBatchSize ??= 5000;
    }

    /// <summary>
    /// <see cref="DurableTaskOptions"/>' checks (hub name present, positive concurrency and entity batch size, extended
    /// sessions only with .NET workers) live in its internal <c>Validate(INameResolver)</c>, which the extension calls
    /// when it starts; nothing public reaches them without starting the extension itself. Invoked by reflection so that
    /// the rules stay the extension's; the package version is pinned, and the tests fail if the method goes away.
    /// </summary>
    static void ValidateOptions(DurableTaskOptions options, IConfiguration configuration)
    {
        MethodInfo validate = typeof(DurableTaskOptions).GetMethod(
                "Validate", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(INameResolver)])
            ?? throw new InvalidOperationException(
                $"{typeof(DurableTaskOptions).Assembly.GetName()} has no internal DurableTaskOptions.Validate(INameResolver): the extension changed; update {nameof(DurableExtensionSettings)}.");
        try
        {
            validate.Invoke(options, [new ConfigurationNameResolver(configuration)]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
        }
    }

    /// <summary>Runs one of the extension's validations; its refusal is rethrown with the setting it is about.</summary>
    static void Validate(Action validation, IConfigurationSection section, string prefix, Func<string, string> where, string? settingName = null)
    {
        try
        {
            validation();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The extension's messages start with the property's name ("ControlQueueVisibilityTimeout must be ...").
            string property = settingName ?? LeadingName().Match(e.Message).Value;
            IConfigurationSection? set = section.GetChildren()
                .FirstOrDefault(child => string.Equals(child.Key, property, StringComparison.OrdinalIgnoreCase) && child.Value is not null);
            string setting = set is null
                ? $"host.json extensions.durableTask{(prefix.Length > 0 ? "." + prefix.TrimEnd(':') : "")}"
                : $"host.json extensions.durableTask.{prefix.Replace(':', '.')}{set.Key} '{set.Value}' (from {where(prefix + set.Key)})";
            throw new InvalidOperationException($"{setting} is refused by the Durable extension: {e.Message}", e);
        }
    }

    [GeneratedRegex("^[A-Za-z]+")]
    private static partial Regex LeadingName();

    /// <summary>The host's name resolver reads app settings; locally they are the configuration.</summary>
    sealed class ConfigurationNameResolver(IConfiguration configuration) : INameResolver
    {
        public string? Resolve(string name) => configuration[name];
    }
}
