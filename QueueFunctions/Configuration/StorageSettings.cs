using Microsoft.Extensions.Configuration;

namespace QueueFunctions.Configuration;

/// <summary>
/// Reads the Functions host's storage connection (<c>AzureWebJobsStorage</c>) for the app's own storage
/// clients. The host names the identity-based endpoints <c>queueServiceUri</c>, <c>tableServiceUri</c> (or
/// gives only <c>accountName</c>), while the Azure client factory expects the client constructor's own
/// parameter name (<c>serviceUri</c> for queues, <c>endpoint</c> for tables): this maps one onto the other.
/// </summary>
public static class StorageSettings
{
    public static IConfiguration ForQueues(IConfigurationSection connection) => ForService(connection, "queue", "serviceUri");

    public static IConfiguration ForTables(IConfigurationSection connection) => ForService(connection, "table", "endpoint");

    private static IConfiguration ForService(IConfigurationSection connection, string service, string endpointParameter)
    {
        if (!string.IsNullOrEmpty(connection.Value))
        {
            return connection;
        }

        var serviceUri = connection[$"{service}ServiceUri"]
            ?? (connection["accountName"] is { Length: > 0 } account ? $"https://{account}.{service}.core.windows.net" : null);
        if (serviceUri is null)
        {
            return connection;
        }

        var mapped = connection.AsEnumerable(makePathsRelative: true)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        mapped[endpointParameter] = serviceUri;
        return new ConfigurationBuilder().AddInMemoryCollection(mapped).Build();
    }
}
