using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.Api;

/// <summary>
/// Answers a repeated <c>Idempotency-Key</c> with the first reply. The first reply is kept in a table for
/// <see cref="Window"/>; a repeat with another request is <c>422 IDEMPOTENCY_KEY_REUSED</c>. This gives a retry the
/// exact first reply; that an action is applied once does not rest on it: the key also names the request the clinic's
/// queue receives, and the queue applies a request once (two retries racing past this table both reach the queue and
/// are applied once). Replies that are not outcomes (5xx, 504, 408, 429) are not kept, so the retry they invite gets
/// the outcome.
/// </summary>
public sealed class IdempotentReplies(TableServiceClient service, TimeProvider time, ILogger<IdempotentReplies> logger)
{
    public const string TableName = "IdempotentReplies";

    /// <summary>How long a key's first reply is given back (API.md: 10 minutes).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly TableClient table = service.GetTableClient(TableName);
    private volatile bool created;

    public TableClient Client => table;

    /// <summary>
    /// Runs <paramref name="handle"/> once per key: with no key, every time; with a key seen in the last
    /// <see cref="Window"/> at <paramref name="scope"/>, not at all.
    /// </summary>
    /// <param name="scope">Where a key is unique: the clinic.</param>
    /// <param name="operation">The endpoint, so the same key sent to another one counts as another request.</param>
    /// <param name="body">The request's body as sent: a retry sends the same.</param>
    /// <param name="handle">Gets the key (null without one) to name its request to the queue by.</param>
    public async Task<IActionResult> RunAsync(
        HttpRequest request, string scope, string operation, JsonBody body, Func<string?, Task<IActionResult>> handle, CancellationToken cancellationToken)
    {
        if (IdempotencyKey.Of(request) is not { } key)
        {
            return await handle(null);
        }

        var fingerprint = Fingerprint(operation, body.Raw);
        var rowKey = RowKeyOf(key);
        var stored = await FindAsync(scope, rowKey, cancellationToken);
        if (stored is not null && stored.At > time.GetUtcNow() - Window)
        {
            return Replay(stored, fingerprint);
        }

        var result = await ApiGuard.RunAsync(() => handle(key));
        if (result is not ApiResult { Status: var status } reply || !IsOutcome(status))
        {
            return result;
        }

        var first = new StoredReply
        {
            PartitionKey = scope,
            RowKey = rowKey,
            Fingerprint = fingerprint,
            Status = status,
            Body = JsonSerializer.Serialize(reply.Body, reply.Body.GetType(), ApiResult.Json),
            At = time.GetUtcNow(),
        };
        return await KeepAsync(first, stored, cancellationToken) is { } earlier ? Replay(earlier, fingerprint) : result;
    }

    /// <summary>Deletes replies older than <paramref name="cutoff"/>; none is given back after <see cref="Window"/> anyway.</summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var deleted = 0;
        await foreach (var row in table.QueryAsync<StoredReply>(r => r.At < cutoff, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            deleted++;
        }

        return deleted;
    }

    public static string Fingerprint(string operation, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(operation + "\n"));
        hash.AppendData(body);
        return Convert.ToBase64String(hash.GetHashAndReset());
    }

    private static string RowKeyOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>An outcome to give back to every retry; anything else invites a retry that should reach the queue.</summary>
    private static bool IsOutcome(int status) =>
        status < 500 && status is not (StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests);

    private static IActionResult Replay(StoredReply stored, string fingerprint) =>
        stored.Fingerprint == fingerprint
            ? new RawJsonResult(stored.Status, stored.Body)
            : ApiResult.Error(
                StatusCodes.Status422UnprocessableEntity,
                ErrorCodes.IdempotencyKeyReused,
                $"This {IdempotencyKey.Header} was used for another request in the last {Window.TotalMinutes:0} minutes; send a new key for a new action.");

    private async Task<StoredReply?> FindAsync(string scope, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureCreatedAsync(cancellationToken);
            var found = await table.GetEntityIfExistsAsync<StoredReply>(scope, rowKey, cancellationToken: cancellationToken);
            return found.HasValue ? found.Value : null;
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            logger.LogError(ex, "Could not read the replies of clinic {Clinic}", scope);
            throw new BackendUnavailableException("Could not reach the stored replies.", ex);
        }
    }

    /// <summary>Keeps the first reply; when a concurrent retry kept one first, that one is returned to answer with.</summary>
    /// <param name="expired">The row a reply older than the window left, to replace.</param>
    private async Task<StoredReply?> KeepAsync(StoredReply first, StoredReply? expired, CancellationToken cancellationToken)
    {
        try
        {
            if (expired is null)
            {
                await table.AddEntityAsync(first, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(first, expired.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return null;
        }
        catch (RequestFailedException conflict) when (conflict.Status is StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed)
        {
            return await FindAsync(first.PartitionKey, first.RowKey, cancellationToken);
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            // The action is applied and the queue remembers it by its key: a retry is still applied once, and only its
            // reply may show the queue as it is by then.
            logger.LogWarning(ex, "Could not keep the reply to a request of clinic {Clinic}; a retry is answered from the queue", first.PartitionKey);
            return null;
        }
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
            created = true;
        }
    }
}
