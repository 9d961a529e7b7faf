using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace QueueFunctions.LocalHost.Functions;

/// <summary>
/// The functions found so far, by trigger, each checked as it is found so that a function the local host cannot run
/// stops the start with its name.
/// </summary>
sealed class DiscoveredFunctions
{
    readonly List<HttpFunction> http = [];
    readonly List<EntityFunction> entities = [];
    readonly List<DurableFunction> orchestrators = [];
    readonly List<DurableFunction> activities = [];
    readonly List<QueueFunction> queues = [];
    readonly List<TimerFunction> timers = [];

    /// <summary>Records the function if <paramref name="parameter"/> is its trigger; other parameters are bound when it runs.</summary>
    public void AddIfTrigger(Type type, MethodInfo method, string name, ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } trigger)
        {
            http.Add(HttpFunctionOf(type, method, name, trigger));
        }
        else if (parameter.GetCustomAttribute<EntityTriggerAttribute>() is not null)
        {
            entities.Add(EntityFunctionOf(type, method, name));
        }
        else if (parameter.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null)
        {
            orchestrators.Add(new DurableFunction(name, method, parameter));
        }
        else if (parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null)
        {
            activities.Add(new DurableFunction(name, method, parameter));
        }
        else if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queueTrigger)
        {
            queues.Add(QueueFunctionOf(method, name, parameter, queueTrigger));
        }
        else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timerTrigger)
        {
            timers.Add(TimerFunctionOf(method, name, parameter, timerTrigger));
        }
    }

    /// <summary>The catalog, in a stable order; two functions of one kind under one name are refused.</summary>
    public FunctionCatalog ToCatalog()
    {
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

    static HttpFunction HttpFunctionOf(Type type, MethodInfo method, string name, HttpTriggerAttribute trigger)
    {
        if (!type.IsPublic && !type.IsNestedPublic)
        {
            throw new InvalidOperationException($"HTTP function {name}: class {type} must be public.");
        }

        string route = (trigger.Route ?? name).Trim('/');
        IReadOnlyList<string>? methods = trigger.Methods is { Length: > 0 }
            ? trigger.Methods.Select(m => m.ToUpperInvariant()).ToArray()
            : null;
        return new HttpFunction(name, route, methods, trigger.AuthLevel, method);
    }

    static EntityFunction EntityFunctionOf(Type type, MethodInfo method, string name)
    {
        if (!typeof(ITaskEntity).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new NotSupportedException(
                $"Entity function {name} is declared on {type}, which is not a concrete ITaskEntity. " +
                "The local host runs entities whose class declares its own [EntityTrigger] dispatcher " +
                "(dispatcher.DispatchAsync<ThatClass>()).");
        }

        return new EntityFunction(name.ToLowerInvariant(), type, method);
    }

    static QueueFunction QueueFunctionOf(MethodInfo method, string name, ParameterInfo parameter, QueueTriggerAttribute trigger)
    {
        if (QueueMessageBinder.WhyUnsupported(parameter.ParameterType) is { } reason)
        {
            throw new NotSupportedException($"Queue function {name}: parameter '{parameter.Name}' {reason}");
        }

        return new QueueFunction(name, trigger.QueueName, trigger.Connection, method, parameter);
    }

    static TimerFunction TimerFunctionOf(MethodInfo method, string name, ParameterInfo parameter, TimerTriggerAttribute trigger)
    {
        if (parameter.ParameterType != typeof(TimerInfo))
        {
            throw new NotSupportedException(
                $"Timer function {name}: parameter '{parameter.Name}' is {parameter.ParameterType}; the local host binds [TimerTrigger] to TimerInfo only.");
        }

        return new TimerFunction(name, trigger.Schedule, trigger.RunOnStartup, trigger.UseMonitor, method, parameter);
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
