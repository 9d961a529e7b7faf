using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

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
    FunctionCatalog(
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
        var http = new List<HttpFunction>();
        var entities = new List<EntityFunction>();
        var orchestrators = new List<DurableFunction>();
        var activities = new List<DurableFunction>();
        var queues = new List<QueueFunction>();
        var timers = new List<TimerFunction>();

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

                BindingSupport.ThrowOnUnsupportedBindings(function.Name, method);
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
                    else if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queueTrigger)
                    {
                        if (QueueMessageBinder.WhyUnsupported(parameter.ParameterType) is { } reason)
                        {
                            throw new NotSupportedException($"Queue function {function.Name}: parameter '{parameter.Name}' {reason}");
                        }

                        queues.Add(new QueueFunction(function.Name, queueTrigger.QueueName, queueTrigger.Connection, method, parameter));
                    }
                    else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timerTrigger)
                    {
                        if (parameter.ParameterType != typeof(TimerInfo))
                        {
                            throw new NotSupportedException(
                                $"Timer function {function.Name}: parameter '{parameter.Name}' is {parameter.ParameterType}; the local host binds [TimerTrigger] to TimerInfo only.");
                        }

                        timers.Add(new TimerFunction(function.Name, timerTrigger.Schedule, timerTrigger.RunOnStartup, timerTrigger.UseMonitor, method, parameter));
                    }
                }
            }
        }

        ThrowOnDuplicates(entities.Select(e => e.Name), "entity");
        ThrowOnDuplicates(orchestrators.Select(o => o.Name), "orchestrator");
        ThrowOnDuplicates(activities.Select(a => a.Name), "activity");
        ThrowOnDuplicates(http.Select(h => h.Name), "HTTP");
        ThrowOnDuplicates(queues.Select(q => q.Name), "queue");
        ThrowOnDuplicates(timers.Select(t => t.Name), "timer");

        return new FunctionCatalog(
            http.OrderBy(h => h.Route, StringComparer.Ordinal).ToArray(),
            entities.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray(),
            orchestrators,
            activities,
            queues.OrderBy(q => q.Name, StringComparer.Ordinal).ToArray(),
            timers.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
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
