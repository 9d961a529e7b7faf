using System.Text;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using DurableTask.Core.Entities;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.LocalHost.Engine;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// The benchmark's own look at a task hub served by app instances in other processes: an engine client for reading
/// entity state (no worker: it takes no partition and runs nothing), and which worker owns which clinic's partition.
/// </summary>
public sealed class TaskHubView
{
    readonly string taskHub;
    readonly int partitions;
    readonly TableClient partitionTable;

    public TaskHubView(string storage, string taskHub, int partitions)
    {
        this.taskHub = taskHub;
        this.partitions = partitions;
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(storage),
            TaskHubName = taskHub,
            UseSeparateQueueForEntityWorkItems = true,
            PartitionCount = partitions,
            UseAppLease = false,
        });
        IEntityOrchestrationService entities = service;
        Client = new EngineDurableTaskClient(
            service,
            entities.EntityBackendQueries ?? throw new InvalidOperationException("The storage provider has no entity queries."),
            entities.EntityBackendProperties ?? throw new InvalidOperationException("The storage provider has no entity support."),
            DurableEngine.DataConverter);
        // The Azure Storage provider's table partition manager (its default) keeps one row per control queue here.
        partitionTable = new TableClient(storage, taskHub + "Partitions");
    }

    public EngineDurableTaskClient Client { get; }

    /// <summary>Current owner (worker id) of each control queue, and whether every queue has one settled owner.</summary>
    public async Task<(Dictionary<int, string> Owners, bool Settled)> OwnersAsync(CancellationToken cancel)
    {
        var owners = new Dictionary<int, string>();
        var settled = true;
        await foreach (var row in partitionTable.QueryAsync<TableEntity>(cancellationToken: cancel))
        {
            var owner = row.GetString("CurrentOwner");
            var next = row.GetString("NextOwner");
            var draining = row.GetBoolean("IsDraining") ?? false;
            if (int.TryParse(row.RowKey.AsSpan(row.RowKey.LastIndexOf('-') + 1), out var queue) && !string.IsNullOrEmpty(owner))
            {
                owners[queue] = owner;
            }

            settled &= !string.IsNullOrEmpty(owner) && string.IsNullOrEmpty(next) && !draining;
        }

        return (owners, settled && owners.Count == partitions);
    }

    /// <summary>
    /// Waits until every control queue has one settled owner among <paramref name="workers"/> and each of them owns
    /// one. Null <paramref name="workers"/>: the instances' worker ids are not known, so only a settled owner is waited for.
    /// </summary>
    public async Task<Dictionary<int, string>> WaitBalancedAsync(IReadOnlyCollection<string>? workers, TimeSpan cap, CancellationToken cancel)
    {
        var start = Measure.Now;
        while (true)
        {
            var (owners, settled) = await OwnersAsync(cancel);
            var balanced = settled && (workers is null
                || (owners.Values.All(workers.Contains) && workers.All(w => owners.ContainsValue(w) || workers.Count > partitions)));
            if (balanced || Measure.SecondsSince(start) > cap.TotalSeconds)
            {
                if (!balanced)
                {
                    Measure.Progress($"  partitions not balanced after {cap.TotalSeconds:0} s: {Describe(owners)}; going on.");
                }

                return owners;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancel);
        }
    }

    /// <summary>
    /// The control queue (partition) of a clinic's entity: the provider hashes the instance id ("@clinicqueue@lab")
    /// with 32-bit FNV-1a over its UTF-8 bytes, modulo the partition count.
    /// </summary>
    public int PartitionOf(string clinic)
    {
        var instanceId = $"@{ClinicQueueEntity.Name.ToLowerInvariant()}@{clinic}";
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitions);
    }

    public string Describe(Dictionary<int, string> owners) =>
        string.Join(", ", owners.OrderBy(o => o.Key).Select(o => $"{taskHub}-control-{o.Key:00} -> {o.Value}"));
}
