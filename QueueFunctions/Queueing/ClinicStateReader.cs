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

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    /// <returns>The stored state, or null for a clinic never used.</returns>
    public async Task<ClinicQueueState?> ReadAsync(DurableTaskClient client, string clinic, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Interlocked.Increment(ref reads);
            try
            {
                var metadata = await client.Entities.GetEntityAsync<ClinicQueueState>(EntityIdOf(clinic), includeState: true, cancellationToken);
                return metadata?.State;
            }
            catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken) && attempt < ReadAttempts)
            {
                logger.LogWarning(ex, "Read {Attempt} of clinic {Clinic} failed; trying again", attempt, clinic);
                await Task.Delay(RetryPause * attempt, cancellationToken);
            }
            catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
            {
                logger.LogError(ex, "Could not read the queue of clinic {Clinic}", clinic);
                throw new BackendUnavailableException($"Could not reach the queue of clinic '{clinic}'.", ex);
            }
        }
    }

    /// <summary>Every clinic that has an entity, for when <c>Queue:Clinics</c> does not list them.</summary>
    public async Task<IReadOnlyList<string>> ListClinicsAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = new EntityQuery { InstanceIdStartsWith = $"@{ClinicQueueEntity.Name.ToLowerInvariant()}@", IncludeState = false };
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
