using QueueFunctions.Tests.Support.Clients;

namespace QueueFunctions.Tests.Support.Hostile;

/// <summary>What a hostile request may get back.</summary>
public enum HostileOutcome
{
    /// <summary>A 4xx: the contract's JSON error, or the host's own bare 401/404/405 (no key, no route, wrong method).</summary>
    Refused,

    /// <summary>As <see cref="Refused"/>, or the web server's own bare 4xx for a request it cannot parse (it never reaches the app).</summary>
    RefusedByServer,

    /// <summary>
    /// The web server's own bare 505 for an HTTP version it does not speak (RFC 9110 15.6.6): a protocol answer given
    /// before anything reaches the app, the one 5xx a client can ask for.
    /// </summary>
    VersionRefused,

    /// <summary>A body that never completes: a JSON 4xx, or the connection dropped, within the case's bound.</summary>
    RefusedOrDropped,

    /// <summary>The trick resolves to a page or image that ignores it: 200 with the security headers, nothing reflected.</summary>
    Page,

    /// <summary>The trick resolves to a valid read (accounted for: reads change nothing): 200 with <c>"success": true</c>.</summary>
    Read,

    /// <summary>The trick resolves to a valid event stream: 200 <c>text/event-stream</c> starting with CONNECTED.</summary>
    Stream,
}

/// <param name="Class">The kind of hostility, for the report of requests tried per class.</param>
/// <param name="Status">The exact status expected, when one is.</param>
/// <param name="Code">The exact error code expected, when one is.</param>
/// <param name="Within">How long the reply may take.</param>
public sealed record HostileCase(string Class, string Name, RawRequest Request, HostileOutcome Outcome, int? Status = null, string? Code = null, TimeSpan? Within = null)
{
    public static readonly TimeSpan Usual = TimeSpan.FromSeconds(15);

    public TimeSpan Bound => Within ?? Usual;
}
