using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;

namespace QueueFunctions.FloodControl;

/// <summary>
/// The per-instance flood limits of <c>enter</c>, <c>done</c> and event streams, partitioned by clinic. A refusal
/// happens before anything is read or signalled, so a limited request changes nothing.
/// </summary>
public sealed class FloodLimiters : IDisposable
{
    /// <summary>What a refused stream is told to wait: streams hold their place until they close, so there is no exact time.</summary>
    public static readonly TimeSpan StreamRetryAfter = TimeSpan.FromSeconds(5);

    private readonly bool enabled;
    private readonly PartitionedRateLimiter<string> enters;
    private readonly PartitionedRateLimiter<string> dones;
    private readonly PartitionedRateLimiter<string> subscribes;
    private readonly PartitionedRateLimiter<string> clinicStreams;
    private readonly ConcurrencyLimiter instanceStreams;

    public FloodLimiters(IOptions<FloodLimitOptions> options)
    {
        var limits = options.Value;
        enabled = limits.Enabled;
        enters = PerClinicBucket(limits.EnterBurst, limits.EnterPerSecond);
        dones = PerClinicBucket(limits.DoneBurst, limits.DonePerSecond);
        subscribes = PerClinicBucket(limits.SubscribeBurst, limits.SubscribePerSecond);
        clinicStreams = PartitionedRateLimiter.Create<string, string>(clinic =>
            RateLimitPartition.GetConcurrencyLimiter(clinic, _ => new ConcurrencyLimiterOptions { PermitLimit = limits.StreamsPerClinic, QueueLimit = 0 }));
        instanceStreams = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = limits.StreamsPerInstance, QueueLimit = 0 });
    }

    /// <returns>Null when the clinic may enter a patient now, else how long the client should wait.</returns>
    public TimeSpan? TryEnter(string clinic) => TryTake(enters, clinic);

    /// <returns>Null when the clinic may finish a ticket now, else how long the client should wait.</returns>
    public TimeSpan? TryDone(string clinic) => TryTake(dones, clinic);

    /// <summary>
    /// Push subscriptions are not a clinic's (a subscription names a patient only), so one bucket serves the whole app
    /// instance: it bounds the table writes a flood of made-up patients can cause, while the per-user cap
    /// (<c>Push:MaxSubscriptionsPerUser</c>) bounds what one patient keeps.
    /// </summary>
    /// <returns>Null when a subscription may be kept now, else how long the client should wait.</returns>
    public TimeSpan? TrySubscribe() => TryTake(subscribes, "push");

    /// <summary>
    /// A place for one stream on this instance and on each clinic it follows, held until the lease is disposed; null when
    /// any of them is full (then nothing is held).
    /// </summary>
    public IDisposable? TryOpenStream(IReadOnlyCollection<string> clinics)
    {
        if (!enabled)
        {
            return NoLease.Instance;
        }

        var held = new HeldLeases();
        if (held.Add(instanceStreams.AttemptAcquire()) && clinics.All(clinic => held.Add(clinicStreams.AttemptAcquire(clinic))))
        {
            return held;
        }

        held.Dispose();
        return null;
    }

    private TimeSpan? TryTake(PartitionedRateLimiter<string> limiter, string clinic)
    {
        if (!enabled)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(clinic);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// A token bucket per clinic that refuses at once when empty (no queue: a waiting request would hold its HTTP slot).
    /// The partitioned limiter replenishes its buckets itself and drops those of clinics idle for a while.
    /// </summary>
    private static PartitionedRateLimiter<string> PerClinicBucket(int burst, int perSecond) =>
        PartitionedRateLimiter.Create<string, string>(clinic =>
            RateLimitPartition.GetTokenBucketLimiter(clinic, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = false,
            }));

    public void Dispose()
    {
        enters.Dispose();
        dones.Dispose();
        subscribes.Dispose();
        clinicStreams.Dispose();
        instanceStreams.Dispose();
    }

    private sealed class HeldLeases : IDisposable
    {
        private readonly List<RateLimitLease> leases = [];

        /// <returns>Whether the lease was granted; a refused one is kept too, so disposing releases everything.</returns>
        public bool Add(RateLimitLease lease)
        {
            leases.Add(lease);
            return lease.IsAcquired;
        }

        public void Dispose() => leases.ForEach(l => l.Dispose());
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}
