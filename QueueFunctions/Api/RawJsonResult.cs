using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace QueueFunctions.Api;

/// <summary>A stored reply sent again byte for byte, so a retry sees exactly what the first request would have.</summary>
public sealed class RawJsonResult(int status, string body) : IActionResult
{
    public int Status { get; } = status;

    public string Body { get; } = body;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = ApiResult.JsonContentType;
        // Tells a client (and whoever reads its logs) that this is the first reply again, not a new outcome.
        response.Headers["Idempotent-Replayed"] = "true";
        if (Status == StatusCodes.Status200OK)
        {
            response.Headers.CacheControl = "no-cache";
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Body), context.HttpContext.RequestAborted);
    }
}
