using System.Text.Json;
using System.Text.RegularExpressions;

namespace QueueFunctions.Tests.Infrastructure;

/// <summary>
/// Compiles infra/main.bicep once per test class with the pinned Bicep CLI and exposes the ARM JSON,
/// with every resource of every nested module deployment flattened into one list.
/// </summary>
public sealed partial class CompiledTemplate : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("bicep-build-").FullName;

    public CompiledTemplate()
    {
        var outFile = Path.Combine(_workDirectory, "main.json");
        Build = RepoFiles.Run(
            RepoFiles.BicepExecutable(),
            ["build", RepoFiles.PathOf("infra", "main.bicep"), "--outfile", outFile],
            TimeSpan.FromMinutes(3));

        if (Build.ExitCode == 0 && File.Exists(outFile))
        {
            Text = File.ReadAllText(outFile);
            Document = JsonDocument.Parse(Text);
            Resources = Flatten(Document.RootElement, "main").ToList();
        }
    }

    public RepoFiles.ProcessResult Build { get; }

    public string Text { get; } = "";

    public JsonDocument? Document { get; }

    public JsonElement Root => (Document ?? throw new InvalidOperationException("main.bicep did not compile:\n" + Build.StandardError)).RootElement;

    /// <summary>Every resource declared (not merely referenced as existing), with the module it sits in.</summary>
    public IReadOnlyList<TemplateResource> Resources { get; } = [];

    public IEnumerable<TemplateResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public TemplateResource Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    public JsonElement Deployment(string name) =>
        OfType("Microsoft.Resources/deployments").Single(d => d.Element.GetProperty("name").GetString() == name).Element;

    private static IEnumerable<TemplateResource> Flatten(JsonElement template, string module)
    {
        var resources = template.GetProperty("resources");
        var items = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => p.Value) // languageVersion 2.0: symbolic names
            : resources.EnumerateArray();
        foreach (var resource in items)
        {
            if (resource.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            var type = resource.GetProperty("type").GetString()!;
            yield return new TemplateResource(module, type, resource);
            if (type == "Microsoft.Resources/deployments")
            {
                var name = resource.GetProperty("name").GetString()!;
                foreach (var nested in Flatten(resource.GetProperty("properties").GetProperty("template"), name))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>The last literal segment of a resource name, e.g. 'ftp' in [format('{0}/{1}', parameters('name'), 'ftp')].</summary>
    public static string LastNameSegment(string name)
    {
        var literal = LastLiteral().Match(name);
        return literal.Success ? literal.Groups[1].Value : name.Split('/').Last();
    }

    [GeneratedRegex(@"'([^']*)'\)\]$")]
    private static partial Regex LastLiteral();

    public void Dispose()
    {
        Document?.Dispose();
        Directory.Delete(_workDirectory, recursive: true);
    }
}

public sealed record TemplateResource(string Module, string Type, JsonElement Element)
{
    public JsonElement Properties => Element.GetProperty("properties");

    public string Name => Element.GetProperty("name").GetString()!;
}
