using System.Text.Json;
using Microsoft.OpenApi;

namespace QueueFunctions.Tests.Contract;

/// <summary>docs/openapi.json is a well-formed OpenAPI 3.1 document that tools can read.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public void The_document_reads_as_OpenAPI_3_1_with_no_errors_or_warnings()
    {
        var result = OpenApiDocument.Parse(File.ReadAllText(ContractDocument.PathOnDisk), OpenApiConstants.Json);

        Assert.Empty(result.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(result.Diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        var document = Assert.IsType<OpenApiDocument>(result.Document);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.NotEmpty(document.Paths);
    }

    [Fact]
    public void Every_local_ref_names_a_node_of_the_document()
    {
        var dangling = References(ContractDocument.Root)
            .Where(r => JsonPointers.Resolve(ContractDocument.Root, r) is null)
            .Distinct()
            .ToList();

        Assert.NotEmpty(References(ContractDocument.Root));
        Assert.Empty(dangling);
    }

    [Fact]
    public void The_error_codes_the_document_lists_are_the_codes_the_code_sends()
    {
        // Found by name, so the check survives the class moving to another namespace.
        var declared = DeclaredRoutes.App.GetTypes().Single(t => t.Name == "ErrorCodes")
            .GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            // The asset route answers an unknown file with its own code, written where it is sent.
            .Append("NOT_FOUND")
            .Order(StringComparer.Ordinal)
            .ToList();
        var documented = ContractDocument.Root.GetProperty("components").GetProperty("schemas").GetProperty("ErrorCode").GetProperty("enum")
            .EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(declared, documented);
    }

    private static IEnumerable<string> References(JsonElement node) => node.ValueKind switch
    {
        JsonValueKind.Object => node.EnumerateObject().SelectMany(p =>
            p.Name == "$ref" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : References(p.Value)),
        JsonValueKind.Array => node.EnumerateArray().SelectMany(References),
        _ => [],
    };
}
