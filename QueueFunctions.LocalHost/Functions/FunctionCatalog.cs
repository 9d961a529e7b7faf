using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace QueueFunctions.LocalHost.Functions;

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
/// A [QueueTrigger] function. <paramref name="QueueName"/> is as written in the attribute: <c>%Setting%</c> parts are
/// resolved from configuration when the host starts, as the Functions host does.
/// </summary>
public sealed record QueueFunction(string Name, string QueueName, string? Connection, MethodInfo Method, ParameterInfo TriggerParameter);

/// <summary>A [TimerTrigger] function; <paramref name="Schedule"/> is as written (cron, TimeSpan or <c>%Setting%</c>).</summary>
public sealed record TimerFunction(string Name, string Schedule, bool RunOnStartup, bool UseMonitor, MethodInfo Method, ParameterInfo TriggerParameter);

/// <summary>
/// Everything the local host runs, discovered from the app's attributes so that routes, methods,
/// auth levels and entity names cannot drift from the code that Azure runs.
/// </summary>
public sealed class FunctionCatalog
{
    internal FunctionCatalog(
        IReadOnlyList<HttpFunction> http,
        IReadOnlyList<EntityFunction> entities,
        IReadOnlyList<DurableFunction> orchestrators,
        IReadOnlyList<DurableFunction> activities,
        IReadOnlyList<QueueFunction> queues,
        IReadOnlyList<TimerFunction> timers)
    {
        HttpFunctions = http;
        Entities = entities;
        Orchestrators = orchestrators;
        Activities = activities;
        QueueFunctions = queues;
        TimerFunctions = timers;
    }

    public IReadOnlyList<HttpFunction> HttpFunctions { get; }
    public IReadOnlyList<EntityFunction> Entities { get; }
    public IReadOnlyList<DurableFunction> Orchestrators { get; }
    public IReadOnlyList<DurableFunction> Activities { get; }
    public IReadOnlyList<QueueFunction> QueueFunctions { get; }
    public IReadOnlyList<TimerFunction> TimerFunctions { get; }

    public static FunctionCatalog Discover(params Assembly[] assemblies)
    {
        var found = new DiscoveredFunctions();
        foreach ((Type type, MethodInfo method, FunctionAttribute function) in FunctionMethods(assemblies))
        {
            BindingSupport.ThrowOnUnsupportedBindings(function.Name, method);
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                found.AddIfTrigger(type, method, function.Name, parameter);
            }
        }

        return found.ToCatalog();
    }

    /// <summary>Every method with [Function] on a (non-generic) class of the assemblies.</summary>
    static IEnumerable<(Type Type, MethodInfo Method, FunctionAttribute Function)> FunctionMethods(Assembly[] assemblies) =>
        from type in assemblies.Distinct().SelectMany(LoadableTypes)
        where type.IsClass && !type.IsGenericTypeDefinition
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        select (type, method, function);

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
}
