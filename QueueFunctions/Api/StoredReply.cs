using Azure;
using Azure.Data.Tables;

namespace QueueFunctions.Api;

/// <summary>
/// The first reply to one <c>Idempotency-Key</c> at one clinic, as the replies table keeps it: partition by scope (the
/// clinic), row by a hash of the key (keys may hold characters that table keys refuse).
/// </summary>
public sealed class StoredReply : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The endpoint and body of the request, hashed: the same key with another request is a client's mistake.</summary>
    public string Fingerprint { get; set; } = string.Empty;

    public int Status { get; set; }

    /// <summary>The reply's JSON as it was sent.</summary>
    public string Body { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }
}
