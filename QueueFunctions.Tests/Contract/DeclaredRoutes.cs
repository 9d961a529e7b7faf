using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace QueueFunctions.Tests.Contract;

/// <summary>One HTTP operation as the code declares it: a method of a route, with its key level.</summary>
/// <param name="Path">The route as an OpenAPI path: a leading slash, parameters without constraints.</param>
public sealed record DeclaredOperation(string Function, string Method, string Path, AuthorizationLevel AuthLevel)
{
    public override string ToString() => $"{Method} {Path} ({Function}, {AuthLevel})";
}

/// <summary>
/// The app's HTTP operations, found as the Functions host finds them: methods marked [Function] with an [HttpTrigger]
/// parameter. Reflection rather than a list, so a new or moved endpoint cannot escape the contract tests.
/// </summary>
public static partial class DeclaredRoutes
{
    /// <summary>The app's assembly. The service registration is the entry every host of the app calls, so it is the anchor least likely to move.</summary>
    public static Assembly App => typeof(QueueFunctions.ServiceCollectionExtensions).Assembly;

    public static IReadOnlyList<DeclaredOperation> All() => Of(App);

    public static IReadOnlyList<DeclaredOperation> Of(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .SelectMany(f => (f.Trigger!.Methods ?? throw new InvalidOperationException(
                    $"{f.Function!.Name} takes every HTTP method; the contract can only list declared ones."))
                .Select(method => new DeclaredOperation(f.Function!.Name, method.ToUpperInvariant(), PathOf(f.Trigger.Route ?? f.Function.Name), f.Trigger.AuthLevel)))
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>assets/{name:alpha}</c> becomes <c>/assets/{name}</c>; the host's route prefix is empty (host.json).</summary>
    public static string PathOf(string route) => "/" + Constraint().Replace(route.Trim('/'), "{$1}");

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Constraint();
}
