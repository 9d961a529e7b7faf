using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.LocalHost.Functions;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>
/// Calls a queue- or timer-triggered function: the trigger parameter gets the trigger's value, the others are bound as
/// the local host binds every function (CancellationToken, [DurableClient], registered services; FunctionContext is
/// null). Instance methods run on an object built per invocation in its own service scope, as the Functions host does.
/// </summary>
sealed class TriggeredFunctionInvoker
{
    readonly MethodInfo method;
    readonly IServiceProvider services;
    readonly Func<IServiceProvider, object?, CancellationToken, object?>[] binders;

    public TriggeredFunctionInvoker(string name, MethodInfo method, ParameterInfo trigger, IServiceProvider services, DurableTaskClient client)
    {
        Name = name;
        this.method = method;
        this.services = services;
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        binders = method.GetParameters().Select(p => Binder(p, trigger, isService, client)).ToArray();
    }

    public string Name { get; }

    public async Task InvokeAsync(object? triggerValue, CancellationToken cancellationToken)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        object? target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        try
        {
            object?[] arguments = binders.Select(b => b(scope.ServiceProvider, triggerValue, cancellationToken)).ToArray();
            await FunctionInvoker.InvokeAsync(method, target, arguments);
        }
        finally
        {
            switch (target)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    Func<IServiceProvider, object?, CancellationToken, object?> Binder(
        ParameterInfo parameter, ParameterInfo trigger, IServiceProviderIsService isService, DurableTaskClient client)
    {
        Type type = parameter.ParameterType;
        if (parameter == trigger)
        {
            return (_, value, _) => value;
        }

        if (type == typeof(CancellationToken))
        {
            return (_, _, token) => token;
        }

        if (type == typeof(FunctionContext))
        {
            return (_, _, _) => null; // No Functions host here: FunctionContext is passed as null.
        }

        if (type.IsAssignableFrom(client.GetType()))
        {
            return (_, _, _) => client;
        }

        if (isService.IsService(type))
        {
            return (scope, _, _) => scope.GetRequiredService(type);
        }

        throw new NotSupportedException(
            $"Function {Name}: parameter '{parameter.Name}' of type {type} cannot be bound by the local host. " +
            "Supported besides the trigger: CancellationToken, DurableTaskClient, FunctionContext (passed as null), registered services.");
    }
}
