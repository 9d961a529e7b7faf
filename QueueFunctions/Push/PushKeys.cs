using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QueueFunctions.Push;

/// <summary>
/// The table keys of <see cref="SubscriptionTable"/>. A service day is one partition, so a day's rows go together and
/// a past day is deleted whole; user ids may hold characters a row key may not (<c>/ \ # ?</c>), hence the encoding.
/// </summary>
public static class PushKeys
{
    public static string DayOf(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An endpoint's short name: the first 128 bits of its SHA-256, in hex.</summary>
    public static string EndpointId(Uri endpoint) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint.AbsoluteUri)))[..32];

    /// <summary>Which user holds an endpoint: found from the endpoint alone, as an unsubscribe gives nothing else.</summary>
    public static string EndpointRow(string endpointId) => $"e|{endpointId}";

    /// <summary>All of one user's rows sort together from here.</summary>
    public static string UserPrefix(string user) => $"u|{Encode(user.ToUpperInvariant())}|";

    public static string UserRow(string user, string endpointId) => UserPrefix(user) + endpointId;

    /// <summary>An alert sent to one endpoint; its presence is what makes the alert once.</summary>
    public static string SentRow(string onceKey, string endpointId) => $"s|{Encode(onceKey)}|{endpointId}";

    /// <summary>Just past every key that starts with <paramref name="prefix"/> ('|' + 1 is '}').</summary>
    public static string AfterPrefix(string prefix) => prefix[..^1] + "}";

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
