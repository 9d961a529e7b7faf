using QueueFunctions.Queueing;

namespace QueueFunctions.Visits;

/// <summary>
/// Names of a visit's durable instances. A visit is named by its user and service day alone (<see cref="VisitKey"/>),
/// so starting it twice finds the same instance, and the next day's visit is a new one.
/// </summary>
public static class VisitIds
{
    public static string For(string user, DateOnly serviceDay) => VisitKey.Of(user, serviceDay);

    public static bool IsVisit(string instanceId) => instanceId.StartsWith(VisitKey.Prefix, StringComparison.Ordinal);

    /// <summary>The relay that tells the visit that one ticket is done: one per ticket, so a repeat is dropped by the engine.</summary>
    public static string RelayOf(string visit, string clinic, int round, int number) => $"{visit}-done-{clinic}-{round}-{number}";

    /// <summary>The router that orders the visits of one service day.</summary>
    public static string RouterKey(DateOnly serviceDay) => serviceDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
