using System.Reflection;
using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.LocalHost.Functions;
using CoreTaskEntity = DurableTask.Core.Entities.TaskEntity;

namespace QueueFunctions.LocalHost.Engine;

/// <summary>
/// What the Durable Task engine runs for one entity name: per batch, a fresh entity object built with the app's
/// services (constructor DI, as the Functions host does) and executed through the Durable SDK's entity shim.
/// </summary>
sealed class EntityAdapter(EntityFunction function, IServiceProvider services, DurableTaskShimFactory shims) : CoreTaskEntity
{
    public override async Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest operations)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        var entity = (ITaskEntity)ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.EntityType);
        EntityId id = EntityId.FromString(operations.InstanceId!);
        CoreTaskEntity shim = shims.CreateEntity(function.Name, entity, id);
        return await shim.ExecuteOperationBatchAsync(operations);
    }
}

sealed class EntityCreator : ObjectCreator<CoreTaskEntity>
{
    readonly Func<CoreTaskEntity> create;

    public EntityCreator(EntityFunction function, IServiceProvider services, DurableTaskShimFactory shims)
    {
        Name = function.Name;
        Version = string.Empty;
        create = () => new EntityAdapter(function, services, shims);
    }

    public override CoreTaskEntity Create() => create();
}

/// <summary>Builds the arguments of an [OrchestrationTrigger] or [ActivityTrigger] function.</summary>
abstract class DurableFunctionAdapter
{
    readonly DurableFunction function;
    readonly IServiceProvider services;

    protected DurableFunctionAdapter(DurableFunction function, IServiceProvider services)
    {
        this.function = function;
        this.services = services;
        OutputType = FunctionInvoker.ResultType(function.Method.ReturnType) is var t && t == typeof(void) ? typeof(object) : t;
    }

    public Type OutputType { get; }

    protected DurableFunction Function => function;

    protected async Task<object?> InvokeAsync(Func<ParameterInfo, (bool Bound, object? Value)> bindSpecial, object? input)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        MethodInfo method = function.Method;
        object? target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        object?[] arguments = method.GetParameters().Select(p =>
        {
            (bool bound, object? value) = bindSpecial(p);
            if (bound)
            {
                return value;
            }

            if (p.ParameterType == typeof(FunctionContext))
            {
                return null; // No Functions host here: FunctionContext is passed as null.
            }

            if (p.ParameterType == typeof(CancellationToken))
            {
                return CancellationToken.None;
            }

            return scope.ServiceProvider.GetService(p.ParameterType) ?? input;
        }).ToArray();
        return await FunctionInvoker.InvokeAsync(method, target, arguments);
    }
}

/// <summary>
/// An [OrchestrationTrigger] function seen by the SDK as an ITaskOrchestrator. The input is kept as raw JSON and
/// deserialized when the function calls GetInput&lt;T&gt;() (or, for an extra parameter, to that parameter's type).
/// </summary>
sealed class FunctionOrchestrator : DurableFunctionAdapter, ITaskOrchestrator
{
    readonly ParameterInfo? inputParameter;

    public FunctionOrchestrator(DurableFunction function, IServiceProvider services)
        : base(function, services)
    {
        inputParameter = function.Method.GetParameters()
            .FirstOrDefault(p => p != function.TriggerParameter && p.ParameterType != typeof(FunctionContext) && p.ParameterType != typeof(CancellationToken));
    }

    public Type InputType => typeof(System.Text.Json.JsonElement?);

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        var json = input as System.Text.Json.JsonElement?;
        var wrapped = new FunctionOrchestrationContext(context, json, DurableEngine.DataConverter);
        object? typedInput = inputParameter is null || json is null
            ? null
            : DurableEngine.DataConverter.Deserialize(json.Value.GetRawText(), inputParameter.ParameterType);
        return InvokeAsync(p => p == Function.TriggerParameter ? (true, wrapped) : p == inputParameter ? (true, typedInput) : (false, null), input);
    }
}

/// <summary>An [ActivityTrigger] function seen by the SDK as an ITaskActivity; the trigger parameter is the input.</summary>
sealed class FunctionActivity : DurableFunctionAdapter, ITaskActivity
{
    public FunctionActivity(DurableFunction function, IServiceProvider services)
        : base(function, services)
    {
        InputType = function.TriggerParameter.ParameterType;
    }

    public Type InputType { get; }

    public Task<object?> RunAsync(TaskActivityContext context, object? input) =>
        InvokeAsync(
            p => p == Function.TriggerParameter ? (true, input)
                : p.ParameterType == typeof(TaskActivityContext) ? (true, context)
                : (false, null),
            input);
}

sealed class OrchestrationCreator : ObjectCreator<TaskOrchestration>
{
    readonly Func<TaskOrchestration> create;

    public OrchestrationCreator(DurableFunction function, IServiceProvider services, DurableTaskShimFactory shims)
    {
        Name = function.Name;
        Version = string.Empty;
        create = () => shims.CreateOrchestration(function.Name, new FunctionOrchestrator(function, services));
    }

    public override TaskOrchestration Create() => create();
}

sealed class ActivityCreator : ObjectCreator<TaskActivity>
{
    readonly Func<TaskActivity> create;

    public ActivityCreator(DurableFunction function, IServiceProvider services, DurableTaskShimFactory shims)
    {
        Name = function.Name;
        Version = string.Empty;
        create = () => shims.CreateActivity(function.Name, new FunctionActivity(function, services));
    }

    public override TaskActivity Create() => create();
}
