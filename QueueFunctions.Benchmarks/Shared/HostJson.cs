using System.Text.Json.Nodes;

namespace QueueFunctions.Benchmarks.Shared;

/// <summary>The app's host.json as built beside the benchmark: what a deployment runs with.</summary>
public static class HostJson
{
    /// <summary>The task hub's partitions (control queues), as <c>extensions.durableTask.storageProvider.partitionCount</c> gives them.</summary>
    public static int Partitions { get; } =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))?["extensions"]?["durableTask"]?["storageProvider"]?["partitionCount"]?.GetValue<int>() ?? 4;
}
