using System.Globalization;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>
/// The queue trigger's settings from host.json (<c>extensions.queues</c>), with the Functions defaults for what is not
/// set. As on Azure, an app setting <c>AzureFunctionsJobHost__extensions__queues__&lt;name&gt;</c> overrides the file.
/// </summary>
public sealed record QueueTriggerSettings
{
    public const string HostJsonSection = "extensions:queues";
    public const string OverrideSection = "AzureFunctionsJobHost:extensions:queues";

    /// <summary>Messages received per poll and run concurrently (Functions: 16, at most 32).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Attempts before a failing message goes to the poison queue (Functions: 5).</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>How long a failed message stays invisible before its next attempt (Functions: 0).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Functions defaults to base64; the app sends plain JSON and says "none" in host.json.</summary>
    public QueueMessageEncoding MessageEncoding { get; init; } = QueueMessageEncoding.Base64;

    /// <summary>
    /// Longest wait between two polls of an idle queue (Functions: 1 minute). Polling starts again from
    /// <see cref="MinPollingInterval"/> after each message.
    /// </summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The WebJobs queue listener's shortest wait, and the least <see cref="MaxPollingInterval"/> it accepts.</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    public static string DefaultHostJsonPath => Path.Combine(AppContext.BaseDirectory, "host.json");

    /// <summary>Reads <paramref name="hostJsonPath"/> when it exists, then the overrides in <paramref name="configuration"/>.</summary>
    public static QueueTriggerSettings Load(IConfiguration configuration, string hostJsonPath)
    {
        IConfigurationSection? file = File.Exists(hostJsonPath)
            ? new ConfigurationBuilder().AddJsonFile(hostJsonPath, optional: false, reloadOnChange: false).Build().GetSection(HostJsonSection)
            : null;
        IConfigurationSection overrides = configuration.GetSection(OverrideSection);
        string? Read(string key) => overrides[key] ?? file?[key];

        var defaults = new QueueTriggerSettings();
        return new QueueTriggerSettings
        {
            BatchSize = Parse(Read("batchSize"), "batchSize", s => int.Parse(s, CultureInfo.InvariantCulture), n => n is >= 1 and <= 32, defaults.BatchSize),
            MaxDequeueCount = Parse(Read("maxDequeueCount"), "maxDequeueCount", s => int.Parse(s, CultureInfo.InvariantCulture), n => n >= 1, defaults.MaxDequeueCount),
            VisibilityTimeout = Parse(Read("visibilityTimeout"), "visibilityTimeout", s => TimeSpan.Parse(s, CultureInfo.InvariantCulture), t => t >= TimeSpan.Zero, defaults.VisibilityTimeout),
            MessageEncoding = Parse(Read("messageEncoding"), "messageEncoding", ParseEncoding, _ => true, defaults.MessageEncoding),
            MaxPollingInterval = Parse(
                Read("maxPollingInterval"), "maxPollingInterval", s => TimeSpan.Parse(s, CultureInfo.InvariantCulture), t => t >= MinPollingInterval,
                defaults.MaxPollingInterval, $"MaxPollingInterval must not be less than {MinPollingInterval}."),
        };

        T Parse<T>(string? text, string key, Func<string, T> parse, Func<T, bool> valid, T fallback, string? rule = null)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            try
            {
                T value = parse(text.Trim());
                if (valid(value))
                {
                    return value;
                }
            }
            catch (FormatException)
            {
            }
            catch (OverflowException)
            {
            }

            throw new InvalidOperationException(
                $"Invalid {HostJsonSection.Replace(':', '.')}.{key} '{text}' (from {OverrideSection} in configuration or {hostJsonPath}).{(rule is null ? "" : " " + rule)}");
        }
    }

    static QueueMessageEncoding ParseEncoding(string text) => text.ToLowerInvariant() switch
    {
        "none" => QueueMessageEncoding.None,
        "base64" => QueueMessageEncoding.Base64,
        _ => throw new FormatException(),
    };
}
