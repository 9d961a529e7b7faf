using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace QueueFunctions.Pages;

/// <summary>
/// The API's OpenAPI document (docs/openapi.json, built into the app), so a client or a tool
/// reads the contract of the very build it talks to.
/// </summary>
public static class OpenApiFile
{
    /// <summary>The name the project file gives the embedded document.</summary>
    public const string ResourceName = "QueueFunctions.openapi.json";

    private static readonly Lazy<byte[]> Document = new(Load);

    public static IActionResult For(HttpRequest request)
    {
        // The document changes with a deployment; a client checks each time rather than keep an old contract.
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return new FileContentResult(Document.Value, "application/json; charset=utf-8");
    }

    private static byte[] Load()
    {
        using var stream = typeof(OpenApiFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The OpenAPI document {ResourceName} is not embedded in the app.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
