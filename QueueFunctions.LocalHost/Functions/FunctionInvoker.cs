using System.Reflection;

namespace QueueFunctions.LocalHost.Functions;

/// <summary>Calls a function method and awaits whatever it returns (void, T, Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;).</summary>
static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(MethodInfo method, object? target, object?[] arguments)
    {
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }

        return await UnwrapAsync(method.ReturnType, returned);
    }

    public static async Task<object?> UnwrapAsync(Type declared, object? returned)
    {
        if (returned is null)
        {
            return null;
        }

        if (declared == typeof(Task) || declared == typeof(ValueTask))
        {
            await AsTask(returned);
            return null;
        }

        if (declared.IsGenericType && (declared.GetGenericTypeDefinition() == typeof(Task<>) || declared.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            Task task = AsTask(returned);
            await task;
            return task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task);
        }

        return returned;
    }

    /// <summary>The type a method produces once awaited (typeof(void) for Task, ValueTask and void).</summary>
    public static Type ResultType(Type declared)
    {
        if (declared == typeof(Task) || declared == typeof(ValueTask) || declared == typeof(void))
        {
            return typeof(void);
        }

        if (declared.IsGenericType && (declared.GetGenericTypeDefinition() == typeof(Task<>) || declared.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return declared.GetGenericArguments()[0];
        }

        return declared;
    }

    static Task AsTask(object awaitable) => awaitable switch
    {
        Task task => task,
        ValueTask valueTask => valueTask.AsTask(),
        _ => (Task)awaitable.GetType().GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(awaitable, null)!,
    };
}
