using Microsoft.AspNetCore.Http;

namespace QueueFunctions.Pages;

/// <summary>
/// The headers every page and asset carries. Scripts and styles come only from the app's own files (no inline code,
/// no CDN), so an injected string cannot run; the pages are never framed and never leak their URL (which can hold a
/// patient's id) to another site.
/// </summary>
public static class PageSecurity
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; media-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }
}
