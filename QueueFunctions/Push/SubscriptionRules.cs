using System.Buffers.Text;

namespace QueueFunctions.Push;

/// <summary>What a subscription must be before the app keeps it and, later, posts to it.</summary>
public static class SubscriptionRules
{
    public const int P256dhBytes = 65;
    public const int AuthBytes = 16;

    /// <summary>Browsers' endpoints are a few hundred characters; a longer one is not a push service's.</summary>
    public const int MaxEndpointLength = 1024;

    /// <returns>Null when the subscription may be kept, else why not (the reply's message).</returns>
    public static string? Problem(string endpoint, string p256dh, string auth, PushHosts hosts)
    {
        if (endpoint.Length > MaxEndpointLength || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return "The subscription's endpoint is not a URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0)
        {
            return "The subscription's endpoint must be an https URL.";
        }

        if (!hosts.Allows(uri.IdnHost))
        {
            return $"The subscription's endpoint is not at a known push service ({uri.IdnHost}).";
        }

        if (Decode(p256dh) is not { Length: P256dhBytes } point || point[0] != 0x04)
        {
            return "The subscription's p256dh key must be an uncompressed P-256 point (65 bytes, base64url).";
        }

        return Decode(auth) is { Length: AuthBytes } ? null : "The subscription's auth secret must be 16 bytes, base64url.";
    }

    /// <summary>Base64url as browsers give it, with or without padding; null when it is not.</summary>
    private static byte[]? Decode(string text)
    {
        try
        {
            return text.Length > 200 ? null : Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
