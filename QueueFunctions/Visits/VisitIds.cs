using System.Security.Cryptography;
using System.Text;
using QueueFunctions.Queueing;

namespace QueueFunctions.Visits;

/// <summary>
/// Names of a visit's durable instances. A visit is named by its user and service day alone, so starting it twice
/// finds the same instance, and the next day's visit is a new one. The user id is hashed: it may hold characters that
/// instance ids (table keys) refuse, and hashing the case-folded id matches users as the queues do, ignoring case.
/// </summary>
public static class VisitIds
{
    private const string Prefix = "visit-";

    public static string For(string user, DateOnly serviceDay)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ClinicQueueState.UserKey(user)));
        return $"{Prefix}{serviceDay:yyyyMMdd}-{Convert.ToHexStringLower(hash)[..32]}";
    }

    public static bool IsVisit(string instanceId) => instanceId.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The relay that tells the visit that one ticket is done: one per ticket, so a repeat is dropped by the engine.</summary>
    public static string RelayOf(string visit, string clinic, int round, int number) => $"{visit}-done-{clinic}-{round}-{number}";

    /// <summary>The router that orders the visits of one service day.</summary>
    public static string RouterKey(DateOnly serviceDay) => serviceDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
