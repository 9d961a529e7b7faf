using System.ComponentModel.DataAnnotations;

namespace QueueFunctions.Configuration;

/// <summary>The <c>Overview:*</c> app settings of the manager's overview. Every default here is documented in the README.</summary>
public sealed class OverviewOptions
{
    public const string Section = "Overview";

    /// <summary>
    /// Minutes a clinic may have people waiting without its queue moving before the overview raises its alert. Fractions
    /// are allowed (a test uses seconds); a day is the most that still says anything about a service day.
    /// </summary>
    [Range(0.01, 1440)]
    public double StalledMinutes { get; set; } = 10;

    public TimeSpan StalledAfter => TimeSpan.FromMinutes(StalledMinutes);
}
