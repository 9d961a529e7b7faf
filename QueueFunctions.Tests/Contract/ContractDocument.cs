using System.Text.Json;

namespace QueueFunctions.Tests.Contract;

/// <summary>
/// docs/openapi.json as the test project copies it beside the tests (see the csproj), so the tests always check the
/// document of the same commit as the code.
/// </summary>
public static class ContractDocument
{
    public static string PathOnDisk { get; } = Path.Combine(AppContext.BaseDirectory, "Contract", "openapi.json");

    private static readonly Lazy<JsonElement> LazyRoot = new(() => JsonDocument.Parse(File.ReadAllBytes(PathOnDisk)).RootElement.Clone());

    public static JsonElement Root => LazyRoot.Value;
}
