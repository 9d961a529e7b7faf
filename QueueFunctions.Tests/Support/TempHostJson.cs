using System.Text.Json.Nodes;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Tests.Support;

/// <summary>A host.json in a temporary file, deleted on dispose: the repository's own, or one changed by the test.</summary>
public sealed class TempHostJson : IDisposable
{
    TempHostJson(string path) => Path = path;

    public string Path { get; }

    /// <summary>The repository's host.json, the one deployed to Azure.</summary>
    public static string RepositoryHostJson =>
        System.IO.Path.Combine(
            AzuriteProcess.FindRepositoryRoot() ?? throw new InvalidOperationException("No repository root above " + AppContext.BaseDirectory),
            "host.json");

    /// <summary>The repository's host.json with <paramref name="change"/> applied to its parsed JSON.</summary>
    public static TempHostJson FromRepository(Action<JsonObject> change)
    {
        JsonObject root = JsonNode.Parse(File.ReadAllText(RepositoryHostJson))!.AsObject();
        change(root);
        return Write(root.ToJsonString());
    }

    public static TempHostJson Write(string json)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return new TempHostJson(path);
    }

    public void Dispose() => File.Delete(Path);
}
