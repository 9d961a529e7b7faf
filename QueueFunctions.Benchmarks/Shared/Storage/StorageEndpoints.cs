namespace QueueFunctions.Benchmarks.Shared.Storage;

public enum StorageService
{
    Other,
    Blob,
    Queue,
    Table,
}

/// <summary>
/// Tells which storage service a request URI is for: by the endpoints of the connection string (Azurite serves the
/// three services on one host, apart only by port), else by Azure's host names (account.blob.core.windows.net ...).
/// </summary>
public sealed class StorageEndpoints
{
    readonly Dictionary<string, StorageService> byAuthority = new(StringComparer.OrdinalIgnoreCase);

    public StorageEndpoints(string? connectionString)
    {
        foreach (var part in (connectionString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            var service = pair[0].Trim() switch
            {
                "BlobEndpoint" => StorageService.Blob,
                "QueueEndpoint" => StorageService.Queue,
                "TableEndpoint" => StorageService.Table,
                _ => StorageService.Other,
            };
            if (service != StorageService.Other && pair.Length == 2 && Uri.TryCreate(pair[1].Trim(), UriKind.Absolute, out var uri))
            {
                byAuthority[uri.Authority] = service;
            }
        }
    }

    public StorageService ServiceOf(string? requestUri)
    {
        if (!Uri.TryCreate(requestUri, UriKind.Absolute, out var uri))
        {
            return StorageService.Other;
        }

        if (byAuthority.TryGetValue(uri.Authority, out var service))
        {
            return service;
        }

        return uri.Host.Split('.') is [_, var kind, ..] ? kind.ToLowerInvariant() switch
        {
            "blob" => StorageService.Blob,
            "queue" => StorageService.Queue,
            "table" => StorageService.Table,
            _ => StorageService.Other,
        } : StorageService.Other;
    }
}
