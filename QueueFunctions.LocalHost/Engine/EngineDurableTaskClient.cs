using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using OrchestrationQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace QueueFunctions.LocalHost.Engine;

/// <summary>
/// A <see cref="DurableTaskClient"/> that talks straight to the Durable Task engine's orchestration service, so the
/// app's functions run unchanged. Entity signals, entity reads and queries, and starting, reading, waiting for,
/// raising events to, terminating and purging orchestrations are supported; the rest throws <see cref="NotSupportedException"/>.
/// </summary>
public sealed class EngineDurableTaskClient : DurableTaskClient
{
    readonly IOrchestrationServiceClient service;
    readonly EngineEntityClient entities;
    readonly DataConverter converter;

    public EngineDurableTaskClient(IOrchestrationServiceClient service, EntityBackendQueries queries, EntityBackendProperties properties, DataConverter converter)
        : base("LocalHost")
    {
        this.service = service;
        this.converter = converter;
        entities = new EngineEntityClient(service, queries, properties, converter);
    }

    /// <summary>How often WaitForInstanceStart/CompletionAsync read the instance's status.</summary>
    public TimeSpan InstancePollingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public override DurableEntityClient Entities => entities;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        string instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        var started = new ExecutionStartedEvent(-1, converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
        };
        try
        {
            await service.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, RunningStates);
        }
        catch (DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException ex)
        {
            // The Functions host refuses the same way (its default overridableExistingInstanceStates: NonRunningStates).
            throw new InvalidOperationException($"An orchestration with instance id '{instanceId}' is already running.", ex);
        }

        return instanceId;
    }

    /// <summary>An instance in one of these is not replaced by a new start with its id.</summary>
    static readonly OrchestrationStatus[] RunningStates = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew];

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new EventRaisedEvent(-1, converter.Serialize(eventPayload)) { Name = eventName },
        });

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        service.ForceTerminateTaskOrchestrationAsync(instanceId, converter.Serialize(options?.Output));

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        IList<OrchestrationState> states = await service.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        OrchestrationState? state = states.FirstOrDefault();
        if (state is null)
        {
            return null;
        }

        return new OrchestrationMetadata(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = converter,
            RuntimeStatus = (OrchestrationRuntimeStatus)(int)state.OrchestrationStatus,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = getInputsAndOutputs ? state.Input : null,
            SerializedOutput = getInputsAndOutputs ? state.Output : null,
            SerializedCustomStatus = getInputsAndOutputs ? state.Status : null,
            FailureDetails = state.FailureDetails is { } f ? new TaskFailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace, null, null) : null,
        };
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    async Task<OrchestrationMetadata> PollAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation) is { } metadata && done(metadata))
            {
                return metadata;
            }

            await Task.Delay(InstancePollingInterval, cancellation);
        }
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw Unsupported(nameof(SuspendInstanceAsync));

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw Unsupported(nameof(ResumeInstanceAsync));

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        throw Unsupported(nameof(GetAllInstancesAsync));

    /// <summary>Only these can be purged, as the SDK's contract says; any other instance is left and counts 0.</summary>
    static readonly OrchestrationRuntimeStatus[] Purgeable =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        if (await GetInstancesAsync(instanceId, getInputsAndOutputs: false, cancellation) is not { } instance || !Purgeable.Contains(instance.RuntimeStatus))
        {
            return new PurgeResult(0);
        }

        DurableTask.Core.PurgeResult purged = await PurgeClient(nameof(PurgeInstanceAsync)).PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(purged.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        OrchestrationStatus[] statuses = (filter.Statuses ?? Purgeable).Where(Purgeable.Contains).Select(s => (OrchestrationStatus)(int)s).ToArray();
        if (statuses.Length == 0)
        {
            return new PurgeResult(0, isComplete: true);
        }

        var coreFilter = new PurgeInstanceFilter(filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime, statuses)
        {
            Timeout = filter.Timeout,
        };
        DurableTask.Core.PurgeResult purged = await PurgeClient(nameof(PurgeAllInstancesAsync)).PurgeInstanceStateAsync(coreFilter);
        return new PurgeResult(purged.DeletedInstanceCount, purged.IsComplete);
    }

    IOrchestrationServicePurgeClient PurgeClient(string member) =>
        service as IOrchestrationServicePurgeClient ?? throw Unsupported(member);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    static NotSupportedException Unsupported(string member) =>
        new($"DurableTaskClient.{member} is not supported by the local host (QueueFunctions.LocalHost); it runs entity signals/reads and orchestration start/read/wait/raise/terminate/purge only.");
}

/// <summary>Entity operations over the engine: signals go to the entity's control queue, reads come from the instance table.</summary>
public sealed class EngineEntityClient : DurableEntityClient
{
    readonly IOrchestrationServiceClient service;
    readonly EntityBackendQueries queries;
    readonly EntityBackendProperties properties;
    readonly DataConverter converter;

    public EngineEntityClient(IOrchestrationServiceClient service, EntityBackendQueries queries, EntityBackendProperties properties, DataConverter converter)
        : base("LocalHost")
    {
        this.service = service;
        this.queries = queries;
        this.properties = properties;
        this.converter = converter;
    }

    public override Task SignalEntityAsync(
        EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationName);
        DateTime now = DateTime.UtcNow;
        EntityMessageEvent signal = ClientEntityHelpers.EmitOperationSignal(
            new OrchestrationInstance { InstanceId = id.ToString() },
            Guid.NewGuid(),
            operationName,
            converter.Serialize(input),
            EntityMessageEvent.GetCappedScheduledTime(now, properties.MaximumSignalDelayTime, options?.SignalTime?.UtcDateTime));
        return service.SendTaskOrchestrationMessageAsync(signal.AsTaskMessage());
    }

    public override async Task<EntityMetadata?> GetEntityAsync(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
        await queries.GetEntityAsync(ToCore(id), includeState, includeStateless: false, cancellation) is { } m ? ToMetadata(m) : null;

    public override async Task<EntityMetadata<T>?> GetEntityAsync<T>(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
        await queries.GetEntityAsync(ToCore(id), includeState, includeStateless: false, cancellation) is { } m ? ToMetadata<T>(m) : null;

    public override AsyncPageable<EntityMetadata> GetAllEntitiesAsync(EntityQuery? filter = null) => Query(filter, ToMetadata);

    public override AsyncPageable<EntityMetadata<T>> GetAllEntitiesAsync<T>(EntityQuery? filter = null) => Query(filter, ToMetadata<T>);

    public override async Task<CleanEntityStorageResult> CleanEntityStorageAsync(
        CleanEntityStorageRequest? request = null, bool continueUntilComplete = true, CancellationToken cancellation = default)
    {
        CleanEntityStorageRequest r = request ?? CleanEntityStorageRequest.Default;
        var core = new EntityBackendQueries.CleanEntityStorageRequest
        {
            RemoveEmptyEntities = r.RemoveEmptyEntities,
            ReleaseOrphanedLocks = r.ReleaseOrphanedLocks,
            ContinuationToken = r.ContinuationToken,
        };
        int removed = 0, released = 0;
        while (true)
        {
            EntityBackendQueries.CleanEntityStorageResult result = await queries.CleanEntityStorageAsync(core, cancellation);
            removed += result.EmptyEntitiesRemoved;
            released += result.OrphanedLocksReleased;
            if (!continueUntilComplete || result.ContinuationToken is null)
            {
                return new CleanEntityStorageResult
                {
                    EmptyEntitiesRemoved = removed,
                    OrphanedLocksReleased = released,
                    ContinuationToken = result.ContinuationToken,
                };
            }

            core.ContinuationToken = result.ContinuationToken;
        }
    }

    AsyncPageable<TMetadata> Query<TMetadata>(EntityQuery? filter, Func<EntityBackendQueries.EntityMetadata, TMetadata> convert)
        where TMetadata : notnull
    {
        // The SDK's EntityQuery already turns a name prefix into the "@name@" instance id prefix.
        string prefix = filter?.InstanceIdStartsWith ?? string.Empty;
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            EntityBackendQueries.EntityQueryResult result = await queries.QueryEntitiesAsync(
                new EntityBackendQueries.EntityQuery
                {
                    InstanceIdStartsWith = prefix,
                    LastModifiedFrom = filter?.LastModifiedFrom?.UtcDateTime,
                    LastModifiedTo = filter?.LastModifiedTo?.UtcDateTime,
                    IncludeState = filter?.IncludeState ?? true,
                    IncludeTransient = filter?.IncludeTransient ?? false,
                    PageSize = pageSize ?? filter?.PageSize,
                    ContinuationToken = continuation ?? filter?.ContinuationToken,
                },
                cancellation);
            return new Page<TMetadata>(result.Results.Select(convert).ToList(), result.ContinuationToken);
        });
    }

    static EntityId ToCore(EntityInstanceId id) => new(id.Name, id.Key);

    EntityMetadata ToMetadata(EntityBackendQueries.EntityMetadata m) =>
        new(new EntityInstanceId(m.EntityId.Name, m.EntityId.Key), m.SerializedState is null ? null : new SerializedData(m.SerializedState, converter))
        {
            LastModifiedTime = new DateTimeOffset(DateTime.SpecifyKind(m.LastModifiedTime, DateTimeKind.Utc)),
            BacklogQueueSize = m.BacklogQueueSize,
            LockedBy = m.LockedBy,
        };

    EntityMetadata<T> ToMetadata<T>(EntityBackendQueries.EntityMetadata m) =>
        new(new EntityInstanceId(m.EntityId.Name, m.EntityId.Key), converter.Deserialize<T>(m.SerializedState))
        {
            LastModifiedTime = new DateTimeOffset(DateTime.SpecifyKind(m.LastModifiedTime, DateTimeKind.Utc)),
            BacklogQueueSize = m.BacklogQueueSize,
            LockedBy = m.LockedBy,
        };
}
