using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>
/// The lease on a blob that makes one host at a time run a timer function, as the Functions host's singleton lock
/// does on Azure; the blob also keeps the timer's schedule status so that a host started later knows a run was
/// missed. Leases are storage time, so renewal uses the real clock, never the host's (possibly fake) TimeProvider.
/// </summary>
sealed class TimerLock(BlobClient blob, ILogger logger)
{
    public const string ContainerName = "timer-locks";

    /// <summary>
    /// A dead host's timers move to another host within this time and one more <see cref="RenewEvery"/>. Every renewal
    /// and every attempt to take the lease is a blob write, the dearest storage request an idle host makes, for timers
    /// that run a few times a day: so a lease long enough to renew rarely, short enough for a takeover within a minute.
    /// </summary>
    static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly BlobLeaseClient lease = blob.GetBlobLeaseClient();

    public string Name => blob.Name;

    /// <summary>Waits until this host holds the lease; false if <paramref name="stopping"/> came first.</summary>
    public async Task<bool> AcquireAsync(CancellationToken stopping)
    {
        try
        {
            await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: stopping);
            await CreateBlobIfMissingAsync(stopping);
            while (true)
            {
                try
                {
                    await lease.AcquireAsync(LeaseDuration, cancellationToken: stopping);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    // Another host runs this timer; take over if it stops renewing.
                    await Task.Delay(RenewEvery, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Renews the lease until <paramref name="holding"/> is cancelled; cancels it if the lease is lost.</summary>
    public async Task HoldAsync(CancellationTokenSource holding)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewEvery, holding.Token);
                await lease.RenewAsync(cancellationToken: holding.Token);
            }
        }
        catch (OperationCanceledException) when (holding.IsCancellationRequested)
        {
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Lost the lease {Lock}; the timer stops here until this host holds it again.", Name);
            await holding.CancelAsync();
        }
    }

    /// <param name="giveUp">Ends the attempt: without storage, the client's retries would hold a stop for many seconds.</param>
    public async Task ReleaseAsync(CancellationToken giveUp)
    {
        try
        {
            await lease.ReleaseAsync(cancellationToken: giveUp);
        }
        catch (RequestFailedException e)
        {
            logger.LogDebug(e, "Releasing the lease {Lock} failed; it expires by itself.", Name);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            logger.LogDebug("Gave up releasing the lease {Lock}; it expires by itself.", Name);
        }
    }

    /// <summary>The status written by the last host that ran the timer, if any.</summary>
    public async Task<TimerStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        BinaryData content = (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
        return content.ToMemory().IsEmpty ? null : content.ToObjectFromJson<TimerStatus>(Json);
    }

    public Task WriteStatusAsync(TimerStatus status, CancellationToken cancellationToken) =>
        blob.UploadAsync(
            BinaryData.FromObjectAsJson(status, Json),
            new BlobUploadOptions { Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId } },
            cancellationToken);

    async Task CreateBlobIfMissingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(
                BinaryData.Empty,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there (and maybe leased by another host).
        }
    }
}
