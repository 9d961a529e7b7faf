using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Api;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing;

/// <summary>Reads clinic entities' stored state, turning storage failures into <see cref="BackendUnavailableException"/>.</summary>
public sealed class ClinicStateReader(ILogger<ClinicStateReader> logger)
{
    private long reads;

    /// <summary>Entity state reads made by this app instance: what the watchers keep flat.</summary>
    public long Reads => Interlocked.Read(ref reads);

    public static EntityInstanceId EntityIdOf(string clinic) => new(ClinicQueueEntity.Name, clinic);

    /// <summary>Attempts per read: a large state lives in a blob that the engine replaces on each write, and a read racing that swap fails once.</summary>
    public const int ReadAttempts = 3;

    private static readonly string ClinicPrefix = $"@{ClinicQueueEntity.Name.ToLowerInvariant()}@";

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    /// <returns>The stored state, or null for a clinic never used.</returns>
    public Task<ClinicQueueState?> ReadAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken) =>
        WithRetriesAsync(
            async () => (await client.Entities.GetEntityAsync<ClinicQueueState>(EntityIdOf(clinic), includeState: true, cancellationToken))?.State,
            $"the queue of clinic '{clinic}'",
            cancellationToken);

    /// <summary>
    /// The stored states of several clinics at once: one entity query for every clinic of the task hub (a page per
    /// <see cref="EntityQuery.DefaultPageSize"/> clinics) instead of one read per clinic, so an instance that follows
    /// many busy clinics pays per poll, not per clinic. A single clinic is read on its own, which is cheaper.
    /// </summary>
    /// <returns>Each asked clinic's state; a clinic never used maps to null.</returns>
    public async Task<IReadOnlyDictionary<string, ClinicQueueState?>> ReadManyAsync(
        DurableTaskClient client, IReadOnlyCollection<string> clinics, CancellationToken cancellationToken)
    {
        var states = clinics.Distinct(StringComparer.Ordinal).ToDictionary(c => c, _ => (ClinicQueueState?)null, StringComparer.Ordinal);
        if (states.Count == 1)
        {
            var only = states.Keys.Single();
            states[only] = await ReadAsync(client, only, cancellationToken);
            return states;
        }

        var query = new EntityQuery { InstanceIdStartsWith = ClinicPrefix, IncludeState = true };
        return await WithRetriesAsync<IReadOnlyDictionary<string, ClinicQueueState?>>(
            async () =>
            {
                await foreach (var entity in client.Entities.GetAllEntitiesAsync<ClinicQueueState>(query).WithCancellation(cancellationToken))
                {
                    if (states.ContainsKey(entity.Id.Key))
                    {
                        states[entity.Id.Key] = entity.State;
                    }
                }

                return states;
            },
            $"the queues of {states.Count} clinics",
            cancellationToken);
    }

    /// <summary>One storage read, counted and tried <see cref="ReadAttempts"/> times; then the backend is unavailable.</summary>
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> read, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Interlocked.Increment(ref reads);
            try
            {
                return await read();
            }
            catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken) && attempt < ReadAttempts)
            {
                logger.LogWarning(ex, "Read {Attempt} of {What} failed; trying again", attempt, what);
                await Task.Delay(RetryPause * attempt, cancellationToken);
            }
            catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
            {
                logger.LogError(ex, "Could not read {What}", what);
                throw new BackendUnavailableException($"Could not reach {what}.", ex);
            }
        }
    }

    /// <summary>Every clinic that has an entity, for when <c>Queue:Clinics</c> does not list them.</summary>
    public async Task<IReadOnlyList<string>> ListClinicsAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = new EntityQuery { InstanceIdStartsWith = ClinicPrefix, IncludeState = false };
        var clinics = new List<string>();
        try
        {
            await foreach (var entity in client.Entities.GetAllEntitiesAsync(query).WithCancellation(cancellationToken))
            {
                clinics.Add(entity.Id.Key);
            }
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            logger.LogError(ex, "Could not list the clinics");
            throw new BackendUnavailableException("Could not list the clinics.", ex);
        }

        return clinics;
    }
}
