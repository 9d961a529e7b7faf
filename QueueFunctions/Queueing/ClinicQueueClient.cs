using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>
/// Talks to a clinic's entity for the HTTP functions. Durable clients can only signal an entity, not
/// call it, so every change is a signal carrying a fresh request id, confirmed by reading the entity's
/// state until the request's effect (a ticket or a receipt) shows up. The entity's operations are
/// idempotent, so a timed-out request can be repeated safely. A request's whole exchange with its clinic, from the
/// signal to the confirmation, fits in <c>Queue:ConfirmTimeoutSeconds</c>: while storage is unreachable, the storage
/// client's own retries must not stretch a request beyond the time the contract gives it.
/// </summary>
public sealed class ClinicQueueClient(
    QueueRules rules,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ClinicStateReader reader,
    ClinicWatchers watchers,
    ILogger<ClinicQueueClient> logger)
{
    private readonly ConcurrentDictionary<string, EnterCoalescer> coalescers = new(StringComparer.Ordinal);

    public QueueRules Rules => rules;

    /// <summary>
    /// Clinics with an enter coalescer: those with enters being sent now. A coalescer is let go once it has sent
    /// everything, so made-up clinic ids do not pile up in memory.
    /// </summary>
    public int ClinicsEntering => coalescers.Count;

    public DateTimeOffset Now => time.GetUtcNow();

    public DateOnly Today => rules.ServiceDayOf(Now);

    /// <summary>The clinic's queue as it stands today; an untouched clinic reads as an empty queue.</summary>
    public async Task<ClinicQueueState> ReadAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken)
    {
        var stored = await ReadStoredAsync(client, clinic, cancellationToken);
        return (stored ?? ClinicQueueState.New(clinic)).AsSeenOn(Today);
    }

    /// <summary>
    /// Signals the enter without reading the queue first: the entity already answers a user who waits with the ticket
    /// they hold, and a read per request would cost every patient of a rush one more storage round trip.
    /// </summary>
    /// <param name="visit">The user's open visit when this clinic is its current step, so the ticket becomes the step's.</param>
    /// <param name="startedAt">
    /// When the request began (<see cref="Stopwatch.GetTimestamp"/>), if it already spent time on storage before this
    /// call: that time counts against the confirmation limit too.
    /// </param>
    /// <param name="requestKey">The client's <c>Idempotency-Key</c>, if it sent one: a retry then names the same request.</param>
    /// <exception cref="QueueFullException">The clinic holds <c>Queue:MaxWaiting</c> waiting tickets already.</exception>
    public async Task<EnterConfirmation> EnterAsync(
        DurableTaskClient client, string clinic, string user, CancellationToken cancellationToken, string? visit = null, long? startedAt = null, string? requestKey = null)
    {
        if (watchers.For(clinic).Latest?.AsSeenOn(Today) is { } known && known.WaitingCount >= rules.MaxWaiting && known.WaitingTicketOf(user) is null)
        {
            // Refused here without a signal while the clinic is known to be full; the entity decides when it is close.
            throw new QueueFullException(clinic, rules.MaxWaiting);
        }

        var requestId = RequestIdOf(ClinicQueueEntity.Operations.Enter, requestKey);
        var now = Now;
        var day = rules.ServiceDayOf(now);
        var seen = await WithinLimitAsync(clinic, startedAt, cancellationToken, async deadline =>
        {
            await CoalescerFor(clinic).EnqueueAsync(client, new EnterCommand(user, requestId, now, visit)).WaitAsync(deadline);
            return await watchers.For(clinic).WaitForAsync(client, stored =>
            {
                if (stored.ReceiptFor(requestId) is { Outcome: ReceiptOutcome.QueueFull })
                {
                    return new EnterSeen(null);
                }

                // Until the entity has run our signal it may still hold yesterday's queue, whose tickets are void.
                var state = stored.AsSeenOn(day);
                // Our own ticket, or one a concurrent request of the same user got first.
                var ticket = state.Tickets.LastOrDefault(t => t.RequestId == requestId) ?? state.WaitingTicketOf(user);
                return ticket is null ? null : new EnterSeen(new EnterConfirmation(ticket, ticket.RequestId != requestId, state));
            }, deadline);
        });
        return seen.Confirmation ?? throw new QueueFullException(clinic, rules.MaxWaiting);
    }

    public Task<ReceiptConfirmation> DoneAsync(
        DurableTaskClient client, string clinic, string user, string pin, CancellationToken cancellationToken, string? requestKey = null)
    {
        var requestId = RequestIdOf(ClinicQueueEntity.Operations.Done, requestKey);
        return SignalForReceiptAsync(client, clinic, ClinicQueueEntity.Operations.Done, new DoneCommand(user, pin, requestId, Now), requestId, cancellationToken);
    }

    /// <param name="number">The ticket to call, as the staff screen shows it; null calls whoever is current.</param>
    public Task<ReceiptConfirmation> CallAsync(
        DurableTaskClient client, string clinic, int? number, CancellationToken cancellationToken, string? requestKey = null)
    {
        var requestId = RequestIdOf(ClinicQueueEntity.Operations.Call, requestKey);
        return SignalForReceiptAsync(client, clinic, ClinicQueueEntity.Operations.Call, new CallCommand(requestId, Now, number), requestId, cancellationToken);
    }

    public Task<ReceiptConfirmation> ResetAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken, string? requestKey = null)
    {
        var requestId = RequestIdOf(ClinicQueueEntity.Operations.Reset, requestKey);
        return SignalForReceiptAsync(client, clinic, ClinicQueueEntity.Operations.Reset, new ClinicCommand(requestId, Now), requestId, cancellationToken);
    }

    /// <summary>Refuses a new arrival at a clinic that holds <c>Queue:MaxWaiting</c> waiting tickets already.</summary>
    /// <exception cref="QueueFullException">The clinic is full and <paramref name="user"/> holds no ticket there.</exception>
    public async Task EnsureRoomAsync(DurableTaskClient client, string clinic, string user, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(client, clinic, cancellationToken);
        if (state.WaitingCount >= rules.MaxWaiting && state.WaitingTicketOf(user) is null)
        {
            throw new QueueFullException(clinic, rules.MaxWaiting);
        }
    }

    /// <summary>Today's state of the clinic, opening the service day (and making its PIN) first if needed.</summary>
    public async Task<ClinicQueueState> OpenAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken)
    {
        var today = Today;
        var stored = await ReadStoredAsync(client, clinic, cancellationToken);
        if (stored is not null && stored.ServiceDay >= today)
        {
            return stored;
        }

        return await WithinLimitAsync(clinic, null, cancellationToken, async deadline =>
        {
            await SignalAsync(client, clinic, ClinicQueueEntity.Operations.Open, new ClinicCommand(NewRequestId(), Now), deadline);
            return await watchers.For(clinic).WaitForAsync(client, state => state.ServiceDay >= today ? state : null, deadline);
        });
    }

    public Task<IReadOnlyList<string>> ListClinicsAsync(DurableTaskClient client, CancellationToken cancellationToken) =>
        reader.ListClinicsAsync(client, cancellationToken);

    /// <summary>What the clinic did with an enter: its ticket, or none because the clinic was full.</summary>
    private sealed record EnterSeen(EnterConfirmation? Confirmation);

    private EnterCoalescer CoalescerFor(string clinic) =>
        coalescers.GetOrAdd(clinic, id => new EnterCoalescer(
            (client, commands) => SignalAsync(client, id, ClinicQueueEntity.Operations.EnterMany, commands, CancellationToken.None),
            drained => coalescers.TryRemove(new KeyValuePair<string, EnterCoalescer>(id, drained))));

    private Task<ReceiptConfirmation> SignalForReceiptAsync(
        DurableTaskClient client, string clinic, string operation, object command, string requestId, CancellationToken cancellationToken) =>
        WithinLimitAsync(clinic, null, cancellationToken, async deadline =>
        {
            await SignalAsync(client, clinic, operation, command, deadline);
            return await watchers.For(clinic).WaitForAsync(
                client,
                state => state.ReceiptFor(requestId) is { } receipt ? new ReceiptConfirmation(receipt, state) : null,
                deadline);
        });

    private async Task SignalAsync(DurableTaskClient client, string clinic, string operation, object command, CancellationToken cancellationToken)
    {
        try
        {
            // Not every client stops its storage retries on cancellation: the request stops waiting for them regardless.
            await client.Entities.SignalEntityAsync(ClinicStateReader.EntityIdOf(clinic), operation, command, cancellation: cancellationToken)
                .WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            logger.LogError(ex, "Could not signal {Operation} to clinic {Clinic}", operation, clinic);
            throw new BackendUnavailableException($"Could not reach the queue of clinic '{clinic}'.", ex);
        }
    }

    private Task<ClinicQueueState?> ReadStoredAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken) =>
        reader.ReadAsync(client, clinic, cancellationToken);

    /// <summary>
    /// Runs a request's signal and its wait for the clinic's watcher (which all requests of a clinic waiting at once
    /// share) under one deadline: <c>Queue:ConfirmTimeoutSeconds</c> from <paramref name="startedAt"/>, or from now.
    /// A signal still being retried when it passes may yet arrive, which is what 504 says: repeating is safe.
    /// </summary>
    private async Task<T> WithinLimitAsync<T>(string clinic, long? startedAt, CancellationToken cancellationToken, Func<CancellationToken, Task<T>> exchange)
    {
        var limit = TimeSpan.FromSeconds(options.Value.ConfirmTimeoutSeconds);
        var left = limit - (startedAt is { } start ? Stopwatch.GetElapsedTime(start) : TimeSpan.Zero);
        if (left <= TimeSpan.Zero)
        {
            // Spent before anything was signalled: nothing is sent that the patient would not hear about.
            throw TimedOut(clinic);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(left);
        try
        {
            return await exchange(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(clinic);
        }
    }

    private ConfirmationTimeoutException TimedOut(string clinic)
    {
        logger.LogWarning("Clinic {Clinic} did not confirm a request within {Seconds} s", clinic, options.Value.ConfirmTimeoutSeconds);
        return new ConfirmationTimeoutException($"The queue of clinic '{clinic}' did not confirm the request in time.");
    }

    /// <summary>64 random bits in 11 characters: every ticket and receipt in the clinic's state carries one.</summary>
    private static string NewRequestId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// A request's id: random, or, when the client sent an <c>Idempotency-Key</c>, 64 bits of its hash with the
    /// operation, so every retry of one action names the same request and the clinic applies it once. Keyed ids start
    /// with a character random ones can also start with; 64 bits make a clash between them as unlikely as between two
    /// random ones.
    /// </summary>
    private static string RequestIdOf(string operation, string? requestKey) =>
        requestKey is null
            ? NewRequestId()
            : Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{operation}\n{requestKey}")).AsSpan(0, 8));
}
