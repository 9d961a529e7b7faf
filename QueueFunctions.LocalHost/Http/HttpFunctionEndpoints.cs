using System.ComponentModel;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Functions;

namespace QueueFunctions.LocalHost.Http;

/// <summary>Maps the app's HTTP-triggered functions onto Kestrel endpoints and binds their parameters.</summary>
static class HttpFunctionEndpoints
{
    static readonly ActionDescriptor EmptyActionDescriptor = new();

    /// <param name="enabled">False for a function turned off by its AzureWebJobs.&lt;name&gt;.Disabled setting: its route is not mapped (404).</param>
    public static void Map(WebApplication app, FunctionCatalog catalog, FunctionKeys keys, DurableTaskClient client, Func<string, bool> enabled)
    {
        var isService = app.Services.GetRequiredService<IServiceProviderIsService>();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("QueueFunctions.LocalHost.Http");
        foreach (HttpFunction function in catalog.HttpFunctions.Where(f => enabled(f.Name)))
        {
            RoutePattern pattern = RoutePatternFactory.Parse(function.Route);
            Func<HttpContext, object?>[] binders = function.Method.GetParameters()
                .Select(p => Binder(function, p, pattern, isService, client))
                .ToArray();
            CheckReturnType(function);

            RequestDelegate handler = context => InvokeAsync(context, function, keys, binders, logger);
            IEndpointConventionBuilder endpoint = function.Methods is null
                ? app.Map(pattern, handler)
                : app.MapMethods(function.Route, function.Methods, handler);
            endpoint.WithDisplayName($"Function {function.Name}");
        }
    }

    static Func<HttpContext, object?> Binder(
        HttpFunction function, ParameterInfo parameter, RoutePattern pattern, IServiceProviderIsService isService, DurableTaskClient client)
    {
        Type type = parameter.ParameterType;
        if (type == typeof(HttpRequest))
        {
            return c => c.Request;
        }

        if (type == typeof(HttpContext))
        {
            return c => c;
        }

        if (type == typeof(CancellationToken))
        {
            return c => c.RequestAborted;
        }

        if (type.IsAssignableFrom(client.GetType()))
        {
            return _ => client;
        }

        if (type == typeof(FunctionContext))
        {
            return _ => null; // There is no Functions host here: FunctionContext is passed as null.
        }

        if (pattern.GetParameter(parameter.Name!) is not null)
        {
            TypeConverter converter = TypeDescriptor.GetConverter(type);
            return c => c.Request.RouteValues.TryGetValue(parameter.Name!, out object? value) && value is not null
                ? (type.IsInstanceOfType(value) ? value : converter.ConvertFromInvariantString(value.ToString()!))
                : parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }

        if (isService.IsService(type))
        {
            return c => c.RequestServices.GetRequiredService(type);
        }

        throw new NotSupportedException(
            $"Function {function.Name}: parameter '{parameter.Name}' of type {type} cannot be bound by the local host. " +
            "Supported: HttpRequest, HttpContext, DurableTaskClient, CancellationToken, FunctionContext (passed as null), route parameters, registered services.");
    }

    static void CheckReturnType(HttpFunction function)
    {
        Type result = FunctionInvoker.ResultType(function.Method.ReturnType);
        if (result.FullName == "Microsoft.Azure.Functions.Worker.Http.HttpResponseData")
        {
            throw new NotSupportedException(
                $"Function {function.Name} returns HttpResponseData; the local host runs the ASP.NET Core integration model (IActionResult, IResult or Task).");
        }
    }

    static async Task InvokeAsync(HttpContext context, HttpFunction function, FunctionKeys keys, Func<HttpContext, object?>[] binders, ILogger logger)
    {
        if (!keys.Allows(function.AuthLevel, context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        object? result;
        try
        {
            MethodInfo method = function.Method;
            object? target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, method.DeclaringType!);
            object?[] arguments = binders.Select(b => b(context)).ToArray();
            try
            {
                result = await FunctionInvoker.InvokeAsync(method, target, arguments);
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
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // The client went away.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Function {Function} failed.", function.Name);
            AnswerFailure(context);
            return;
        }

        await WriteResultAsync(context, result);
    }

    /// <summary>An empty 500 as on Azure, or, once the response has begun, a cut connection.</summary>
    static void AnswerFailure(HttpContext context)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        else
        {
            context.Abort();
        }
    }

    static async Task WriteResultAsync(HttpContext context, object? result)
    {
        switch (result)
        {
            case null:
                return; // Task or void: the function wrote the response itself (or leaves the default 200).
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), EmptyActionDescriptor));
                return;
            case IResult httpResult:
                await httpResult.ExecuteAsync(context);
                return;
            default:
                await new ObjectResult(result).ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), EmptyActionDescriptor));
                return;
        }
    }
}
