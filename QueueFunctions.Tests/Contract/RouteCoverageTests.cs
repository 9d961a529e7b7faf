using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;

namespace QueueFunctions.Tests.Contract;

/// <summary>The document lists exactly the operations the code declares, with the keys the code asks for.</summary>
public sealed class RouteCoverageTests
{
    private static readonly OpenApiDocument Document = OpenApiDocument.Parse(File.ReadAllText(ContractDocument.PathOnDisk), OpenApiConstants.Json).Document!;

    private static IReadOnlyList<string> Documented() =>
        Document.Paths
            .SelectMany(path => (path.Value.Operations ?? []).Select(op => $"{op.Key.Method.ToUpperInvariant()} {path.Key}"))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Every_operation_the_code_declares_is_documented_and_nothing_else()
    {
        var declared = DeclaredRoutes.All().Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal).ToList();

        Assert.True(declared.Count > 10, "The reflection found too few HTTP functions: " + string.Join(", ", declared));
        Assert.Empty(declared.Except(Documented()).Select(o => "declared, not documented: " + o));
        Assert.Empty(Documented().Except(declared).Select(o => "documented, not declared: " + o));
    }

    [Fact]
    public void Operations_behind_a_function_key_require_it_and_document_401_and_the_others_are_open()
    {
        Assert.Empty(Document.Security ?? []);
        var mismatches = new List<string>();
        foreach (var declared in DeclaredRoutes.All())
        {
            var operation = Document.Paths[declared.Path].Operations![new HttpMethod(declared.Method)];
            var schemes = (operation.Security ?? []).SelectMany(r => r.Keys).Select(s => $"{s.In}:{s.Name}").ToHashSet(StringComparer.Ordinal);
            var has401 = operation.Responses?.ContainsKey("401") ?? false;
            var keyed = declared.AuthLevel is AuthorizationLevel.Function or AuthorizationLevel.Admin or AuthorizationLevel.System;
            if (keyed && (!schemes.SetEquals(["Header:x-functions-key", "Query:code"]) || !has401))
            {
                mismatches.Add($"{declared}: needs the x-functions-key header or code query scheme and a 401; has [{string.Join(", ", schemes)}], 401: {has401}");
            }

            if (!keyed && (schemes.Count > 0 || has401))
            {
                mismatches.Add($"{declared}: is anonymous; the document asks for [{string.Join(", ", schemes)}], 401: {has401}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Fact]
    public void The_documented_paths_carry_no_prefix_because_the_host_adds_none()
    {
        // host.json sets extensions.http.routePrefix to "", so a function's route is its whole path.
        var hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        using var host = JsonDocument.Parse(File.ReadAllText(hostJson));
        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Theory]
    [InlineData("api/v1/queue/enter", "/api/v1/queue/enter")]
    [InlineData("assets/{name}", "/assets/{name}")]
    [InlineData("files/{name:alpha}/{*rest}", "/files/{name}/{rest}")]
    public void Routes_become_paths_without_constraints(string route, string path) => Assert.Equal(path, DeclaredRoutes.PathOf(route));
}
