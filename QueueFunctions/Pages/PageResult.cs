using Microsoft.AspNetCore.Mvc;

namespace QueueFunctions.Pages;

/// <summary>A page or asset as sent: its bytes, its type, and the security headers every page carries.</summary>
public sealed class PageResult(byte[] content, string contentType, string cacheControl) : IActionResult
{
    public byte[] Content { get; } = content;

    public string ContentType { get; } = contentType;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = ContentType;
        response.Headers.CacheControl = cacheControl;
        PageSecurity.Apply(response.Headers);
        response.ContentLength = Content.Length;
        await response.Body.WriteAsync(Content, context.HttpContext.RequestAborted);
    }
}
