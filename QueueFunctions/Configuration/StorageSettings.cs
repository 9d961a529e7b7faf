using Microsoft.Extensions.Configuration;

namespace QueueFunctions.Configuration;

/// <summary>
/// Reads the Functions host's storage connection (<c>AzureWebJobsStorage</c>) for the queue client. The
/// host names the identity-based queue endpoint <c>queueServiceUri</c> (or gives only <c>accountName</c>),
/// while the Azure client factory expects <c>serviceUri</c>: this maps one onto the other.
/// </summary>
public static class StorageSettings
{
    public static IConfiguration ForQueues(IConfigurationSection connection)
    {
        if (!string.IsNullOrEmpty(connection.Value))
        {
            return connection;
        }

        var serviceUri = connection["queueServiceUri"]
            ?? (connection["accountName"] is { Length: > 0 } account ? $"https://{account}.queue.core.windows.net" : null);
        if (serviceUri is null)
        {
            return connection;
        }

        var mapped = connection.AsEnumerable(makePathsRelative: true)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        mapped["serviceUri"] = serviceUri;
        return new ConfigurationBuilder().AddInMemoryCollection(mapped).Build();
    }
}
