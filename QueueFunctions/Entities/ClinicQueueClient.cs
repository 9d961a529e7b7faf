using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Queueing;
using QueueFunctions.Realtime;

namespace QueueFunctions.Entities;

/// <summary>
/// Talks to a clinic's entity for the HTTP functions. Durable clients can only signal an entity, not
/// call it, so every change is a signal carrying a fresh request id, confirmed by reading the entity's
/// state until the request's effect (a ticket or a receipt) shows up. The entity's operations are
/// idempotent, so a timed-out request can be repeated safely.
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
    public async Task<EnterConfirmation> EnterAsync(DurableTaskClient client, string clinic, string user, CancellationToken cancellationToken, string? visit = null)
    {
        var requestId = NewRequestId();
        var now = Now;
        var day = rules.ServiceDayOf(now);
        await CoalescerFor(clinic).EnqueueAsync(client, new EnterCommand(user, requestId, now, visit)).WaitAsync(cancellationToken);
        return await WaitForAsync(client, clinic, stored =>
        {
            // Until the entity has run our signal it may still hold yesterday's queue, whose tickets are void.
            var state = stored.AsSeenOn(day);
            // Our own ticket, or one a concurrent request of the same user got first.
            var ticket = state.Tickets.LastOrDefault(t => t.RequestId == requestId) ?? state.WaitingTicketOf(user);
            return ticket is null ? null : new EnterConfirmation(ticket, ticket.RequestId != requestId, state);
        }, cancellationToken);
    }

    public Task<ReceiptConfirmation> DoneAsync(DurableTaskClient client, string clinic, string user, string pin, CancellationToken cancellationToken)
    {
        var requestId = NewRequestId();
        return SignalForReceiptAsync(client, clinic, ClinicQueueEntity.Operations.Done, new DoneCommand(user, pin, requestId, Now), requestId, cancellationToken);
    }

    public Task<ReceiptConfirmation> CallAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken)
    {
        var requestId = NewRequestId();
        return SignalForReceiptAsync(client, clinic, ClinicQueueEntity.Operations.Call, new ClinicCommand(requestId, Now), requestId, cancellationToken);
    }

    public Task<ReceiptConfirmation> ResetAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken)
    {
        var requestId = NewRequestId();
        return SignalForReceiptAsync(client, clinic, ClinicQueueEntity.Operations.Reset, new ClinicCommand(requestId, Now), requestId, cancellationToken);
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

        await SignalAsync(client, clinic, ClinicQueueEntity.Operations.Open, new ClinicCommand(NewRequestId(), Now), cancellationToken);
        return await WaitForAsync(client, clinic, state => state.ServiceDay >= today ? state : null, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListClinicsAsync(DurableTaskClient client, CancellationToken cancellationToken) =>
        reader.ListClinicsAsync(client, cancellationToken);

    private EnterCoalescer CoalescerFor(string clinic) =>
        coalescers.GetOrAdd(clinic, id => new EnterCoalescer(
            (client, commands) => SignalAsync(client, id, ClinicQueueEntity.Operations.EnterMany, commands, CancellationToken.None),
            drained => coalescers.TryRemove(new KeyValuePair<string, EnterCoalescer>(id, drained))));

    private async Task<ReceiptConfirmation> SignalForReceiptAsync(
        DurableTaskClient client, string clinic, string operation, object command, string requestId, CancellationToken cancellationToken)
    {
        await SignalAsync(client, clinic, operation, command, cancellationToken);
        return await WaitForAsync(
            client,
            clinic,
            state => state.ReceiptFor(requestId) is { } receipt ? new ReceiptConfirmation(receipt, state) : null,
            cancellationToken);
    }

    private async Task SignalAsync(DurableTaskClient client, string clinic, string operation, object command, CancellationToken cancellationToken)
    {
        try
        {
            await client.Entities.SignalEntityAsync(ClinicStateReader.EntityIdOf(clinic), operation, command, cancellation: cancellationToken);
        }
        catch (Exception ex) when (ClinicStateReader.IsBackendFailure(ex, cancellationToken))
        {
            logger.LogError(ex, "Could not signal {Operation} to clinic {Clinic}", operation, clinic);
            throw new BackendUnavailableException($"Could not reach the queue of clinic '{clinic}'.", ex);
        }
    }

    private Task<ClinicQueueState?> ReadStoredAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken) =>
        reader.ReadAsync(client, clinic, cancellationToken);

    /// <summary>
    /// Waits until the clinic's watcher reads a state in which <paramref name="match"/> finds the request's
    /// effect. All requests of a clinic waiting at once share the watcher's reads.
    /// </summary>
    private async Task<T> WaitForAsync<T>(DurableTaskClient client, string clinic, Func<ClinicQueueState, T?> match, CancellationToken cancellationToken)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.ConfirmTimeoutSeconds));
        try
        {
            return await watchers.For(clinic).WaitForAsync(client, match, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Clinic {Clinic} did not confirm a request within {Seconds} s", clinic, options.Value.ConfirmTimeoutSeconds);
            throw new ConfirmationTimeoutException($"The queue of clinic '{clinic}' did not confirm the request in time.");
        }
    }

    /// <summary>64 random bits in 11 characters: every ticket and receipt in the clinic's state carries one.</summary>
    private static string NewRequestId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(8));
}
