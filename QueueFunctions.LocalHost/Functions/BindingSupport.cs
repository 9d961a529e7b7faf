using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace QueueFunctions.LocalHost.Functions;

/// <summary>
/// Refuses, when the host starts, the bindings the local host does not run. Without this a function with, say, a
/// [BlobTrigger] or a [QueueOutput] would start fine and then silently never run or silently drop its output.
/// </summary>
static class BindingSupport
{
    static readonly Type[] SupportedTriggers =
    [
        typeof(HttpTriggerAttribute),
        typeof(EntityTriggerAttribute),
        typeof(OrchestrationTriggerAttribute),
        typeof(ActivityTriggerAttribute),
        typeof(QueueTriggerAttribute),
        typeof(TimerTriggerAttribute),
    ];

    static readonly Type[] SupportedInputs = [typeof(DurableClientAttribute)];

    public static void ThrowOnUnsupportedBindings(string functionName, MethodInfo method)
    {
        foreach (ParameterInfo parameter in method.GetParameters())
        {
            foreach (BindingAttribute binding in parameter.GetCustomAttributes<BindingAttribute>())
            {
                Type type = binding.GetType();
                bool supported = binding switch
                {
                    TriggerBindingAttribute => SupportedTriggers.Contains(type),
                    InputBindingAttribute => SupportedInputs.Contains(type),
                    _ => false,
                };
                if (!supported)
                {
                    throw Refused(functionName, $"parameter '{parameter.Name}' has [{ShortName(type)}]");
                }
            }
        }

        if (method.ReturnParameter.GetCustomAttribute<OutputBindingAttribute>() is { } output)
        {
            throw Refused(functionName, $"its return value has [{ShortName(output.GetType())}]");
        }

        Type result = FunctionInvoker.ResultType(method.ReturnType);
        if (result.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<OutputBindingAttribute>() is not null) is { } property)
        {
            throw Refused(functionName, $"the property {result.Name}.{property.Name} of its result has [{ShortName(property.GetCustomAttribute<OutputBindingAttribute>()!.GetType())}]");
        }
    }

    static NotSupportedException Refused(string functionName, string what) =>
        new($"Function {functionName}: {what}, a binding the local host does not run. " +
            "It runs HTTP, queue, timer, entity, orchestration and activity triggers and [DurableClient] inputs; no output bindings.");

    static string ShortName(Type attribute) =>
        attribute.Name.EndsWith("Attribute", StringComparison.Ordinal) ? attribute.Name[..^"Attribute".Length] : attribute.Name;
}
