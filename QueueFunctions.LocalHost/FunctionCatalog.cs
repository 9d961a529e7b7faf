using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace QueueFunctions.LocalHost;

/// <summary>An HTTP-triggered function found by reflection on its [Function] and [HttpTrigger] attributes.</summary>
public sealed record HttpFunction(
    string Name,
    string Route,
    IReadOnlyList<string>? Methods,
    AuthorizationLevel AuthLevel,
    MethodInfo Method);

/// <summary>A Durable entity: a class implementing ITaskEntity that declares its own [EntityTrigger] dispatcher function.</summary>
public sealed record EntityFunction(string Name, Type EntityType, MethodInfo DispatcherMethod);

/// <summary>An [OrchestrationTrigger] or [ActivityTrigger] function.</summary>
public sealed record DurableFunction(string Name, MethodInfo Method, ParameterInfo TriggerParameter);

/// <summary>
/// Everything the local host runs, discovered from the app's attributes so that routes, methods,
/// auth levels and entity names cannot drift from the code that Azure runs.
/// </summary>
public sealed class FunctionCatalog
{
    FunctionCatalog(
        IReadOnlyList<HttpFunction> http,
        IReadOnlyList<EntityFunction> entities,
        IReadOnlyList<DurableFunction> orchestrators,
        IReadOnlyList<DurableFunction> activities)
    {
        HttpFunctions = http;
        Entities = entities;
        Orchestrators = orchestrators;
        Activities = activities;
    }

    public IReadOnlyList<HttpFunction> HttpFunctions { get; }
    public IReadOnlyList<EntityFunction> Entities { get; }
    public IReadOnlyList<DurableFunction> Orchestrators { get; }
    public IReadOnlyList<DurableFunction> Activities { get; }

    public static FunctionCatalog Discover(params Assembly[] assemblies)
    {
        var http = new List<HttpFunction>();
        var entities = new List<EntityFunction>();
        var orchestrators = new List<DurableFunction>();
        var activities = new List<DurableFunction>();

        foreach (Type type in assemblies.Distinct().SelectMany(LoadableTypes))
        {
            if (!type.IsClass || type.IsGenericTypeDefinition)
            {
                continue;
            }

            foreach (MethodInfo method in type.GetMethods(
                BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                FunctionAttribute? function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                {
                    continue;
                }

                foreach (ParameterInfo parameter in method.GetParameters())
                {
                    if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } trigger)
                    {
                        if (!type.IsPublic && !type.IsNestedPublic)
                        {
                            throw new InvalidOperationException($"HTTP function {function.Name}: class {type} must be public.");
                        }

                        string route = (trigger.Route ?? function.Name).Trim('/');
                        IReadOnlyList<string>? methods = trigger.Methods is { Length: > 0 }
                            ? trigger.Methods.Select(m => m.ToUpperInvariant()).ToArray()
                            : null;
                        http.Add(new HttpFunction(function.Name, route, methods, trigger.AuthLevel, method));
                    }
                    else if (parameter.GetCustomAttribute<EntityTriggerAttribute>() is not null)
                    {
                        if (!typeof(ITaskEntity).IsAssignableFrom(type) || type.IsAbstract)
                        {
                            throw new NotSupportedException(
                                $"Entity function {function.Name} is declared on {type}, which is not a concrete ITaskEntity. " +
                                "The local host runs entities whose class declares its own [EntityTrigger] dispatcher " +
                                "(dispatcher.DispatchAsync<ThatClass>()).");
                        }

                        entities.Add(new EntityFunction(function.Name.ToLowerInvariant(), type, method));
                    }
                    else if (parameter.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null)
                    {
                        orchestrators.Add(new DurableFunction(function.Name, method, parameter));
                    }
                    else if (parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null)
                    {
                        activities.Add(new DurableFunction(function.Name, method, parameter));
                    }
                }
            }
        }

        ThrowOnDuplicates(entities.Select(e => e.Name), "entity");
        ThrowOnDuplicates(orchestrators.Select(o => o.Name), "orchestrator");
        ThrowOnDuplicates(activities.Select(a => a.Name), "activity");
        ThrowOnDuplicates(http.Select(h => h.Name), "function");

        return new FunctionCatalog(
            http.OrderBy(h => h.Route, StringComparer.Ordinal).ToArray(),
            entities.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray(),
            orchestrators,
            activities);
    }

    static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null)!;
        }
    }

    static void ThrowOnDuplicates(IEnumerable<string> names, string kind)
    {
        string? duplicate = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two {kind} functions are named '{duplicate}'.");
        }
    }
}
