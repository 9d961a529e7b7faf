using System.ComponentModel.DataAnnotations;

namespace QueueFunctions.Configuration;

/// <summary>
/// The <c>Limits:*</c> app settings: how much <c>enter</c>, <c>done</c> and event-stream traffic one clinic may bring
/// to one app instance. Limits are per clinic, never per client address: a kiosk, or a clinic behind one NAT, sends
/// every patient from a single address. Every default here is documented (and explained) in the README.
/// </summary>
public sealed class FloodLimitOptions
{
    public const string Section = "Limits";

    /// <summary>False turns every limit off (a load test that wants the engine's own ceiling).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Enters one clinic may take at once before the steady rate applies.</summary>
    [Range(1, 1_000_000)]
    public int EnterBurst { get; set; } = 300;

    /// <summary>Enters per second one clinic may keep up once its burst is spent.</summary>
    [Range(1, 1_000_000)]
    public int EnterPerSecond { get; set; } = 20;

    [Range(1, 1_000_000)]
    public int DoneBurst { get; set; } = 300;

    [Range(1, 1_000_000)]
    public int DonePerSecond { get; set; } = 20;

    /// <summary>Event streams open at once on one clinic (a board's stream counts once for each clinic it follows).</summary>
    [Range(1, 1_000_000)]
    public int StreamsPerClinic { get; set; } = 1000;

    /// <summary>Event streams open at once on this app instance, whatever their clinics.</summary>
    [Range(1, 1_000_000)]
    public int StreamsPerInstance { get; set; } = 4000;

    /// <summary>Push subscriptions this app instance keeps at once, from every client, before the steady rate applies.</summary>
    [Range(1, 1_000_000)]
    public int SubscribeBurst { get; set; } = 300;

    /// <summary>Push subscriptions per second this app instance keeps up once its burst is spent.</summary>
    [Range(1, 1_000_000)]
    public int SubscribePerSecond { get; set; } = 20;
}
