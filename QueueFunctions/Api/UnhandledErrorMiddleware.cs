using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.Api;

/// <summary>The last line of defence: an HTTP caller gets the contract's JSON error, never a stack trace.</summary>
public sealed class UnhandledErrorMiddleware(ILogger<UnhandledErrorMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(ex, "Function {Function} failed", context.FunctionDefinition.Name);
            var result = ApiResult.Error(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "Something went wrong; please try again.");
            await result.ExecuteResultAsync(new Microsoft.AspNetCore.Mvc.ActionContext { HttpContext = http });
        }
    }
}
