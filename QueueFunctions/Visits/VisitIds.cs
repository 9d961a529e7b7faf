using QueueFunctions.Domain;

namespace QueueFunctions.Visits;

/// <summary>
/// Names of a visit's durable instances. A visit is named by its user and service day alone (<see cref="VisitKey"/>),
/// so starting it twice finds the same instance, and the next day's visit is a new one.
/// </summary>
public static class VisitIds
{
    public static string For(string user, DateOnly serviceDay) => VisitKey.Of(user, serviceDay);

    public static bool IsVisit(string instanceId) => instanceId.StartsWith(VisitKey.Prefix, StringComparison.Ordinal);

    /// <summary>The router that orders the visits of one service day.</summary>
    public static string RouterKey(DateOnly serviceDay) => serviceDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
