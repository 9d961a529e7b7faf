using System.Text.Json;
using QueueFunctions.Pages;
using QueueFunctions.Tests.Support.Clients;

namespace QueueFunctions.Tests.Support.Hostile;

/// <summary>Whether a reply is one a hostile request may get: never a 5xx, never late, always the contract's shape.</summary>
public static class HostileReplyCheck
{
    /// <summary>The host answers these itself, with no body: no key, no route, a method the route does not take.</summary>
    private static readonly int[] HostBare = [401, 404, 405];

    /// <summary>The web server answers these itself for a request it cannot take in: bad syntax, too large, too slow.</summary>
    private static readonly int[] ServerBare = [400, 408, 413, 414, 431];

    /// <returns>Null when the reply is acceptable, else what is wrong with it.</returns>
    public static string? Problem(HostileCase test, RawReply reply)
    {
        if (reply.TimedOut || reply.Elapsed > test.Bound)
        {
            return $"took {reply.Elapsed.TotalSeconds:0.0} s (bound {test.Bound.TotalSeconds:0} s)";
        }

        if (reply.Status is null)
        {
            return test.Outcome == HostileOutcome.RefusedOrDropped ? null : "the connection was dropped without a reply";
        }

        var status = reply.Status.Value;
        if (test.Status is { } expected && status != expected)
        {
            return $"status {status}, expected {expected}";
        }

        return test.Outcome switch
        {
            HostileOutcome.Refused => Refusal(test, reply, HostBare),
            HostileOutcome.RefusedByServer or HostileOutcome.RefusedOrDropped => Refusal(test, reply, [.. HostBare, .. ServerBare]),
            HostileOutcome.VersionRefused => status == 505 && reply.Body.Length == 0 ? null : $"status {status}, expected the server's bare 505",
            HostileOutcome.Page => Page(reply),
            HostileOutcome.Read => status == 200 && Json(reply) is { } body && body.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True ? null : "not a successful read",
            HostileOutcome.Stream => status == 200 && reply.Header("content-type") == "text/event-stream" && reply.Text.Contains("\"CONNECTED\"", StringComparison.Ordinal)
                ? null
                : "not an event stream",
            _ => $"unknown outcome {test.Outcome}",
        };
    }

    private static string? Refusal(HostileCase test, RawReply reply, int[] bare)
    {
        var status = reply.Status!.Value;
        if (status is < 400 or > 499)
        {
            return $"status {status} is not a refusal";
        }

        if (reply.Body.Length == 0)
        {
            return bare.Contains(status) ? null : $"a bare {status} where the contract's JSON error was due";
        }

        if (reply.Header("content-type") != "application/json; charset=utf-8")
        {
            return $"a {status} of type '{reply.Header("content-type")}'";
        }

        if (Json(reply) is not { } body)
        {
            return $"a {status} whose body is not JSON";
        }

        var fields = body.EnumerateObject().Select(p => p.Name).ToList();
        if (!fields.SequenceEqual(["success", "error", "code"])
            || body.GetProperty("success").ValueKind != JsonValueKind.False
            || body.GetProperty("error").ValueKind != JsonValueKind.String
            || body.GetProperty("code").ValueKind != JsonValueKind.String)
        {
            return $"a {status} whose body is not the contract's error: {reply.Text}";
        }

        var code = body.GetProperty("code").GetString();
        return test.Code is { } expected && code != expected ? $"code {code}, expected {expected}" : null;
    }

    private static string? Page(RawReply reply)
    {
        if (reply.Status != 200)
        {
            return $"status {reply.Status}, expected the page";
        }

        if (reply.Header("content-security-policy") != PageSecurity.ContentSecurityPolicy)
        {
            return "a page without the security headers";
        }

        return reply.Text.Contains(HostileRequests.Marker, StringComparison.Ordinal) ? "the page gives back the request's text" : null;
    }

    private static JsonElement? Json(RawReply reply)
    {
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
