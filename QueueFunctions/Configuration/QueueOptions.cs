using System.ComponentModel.DataAnnotations;
using QueueFunctions.Domain;

namespace QueueFunctions.Configuration;

/// <summary>The <c>Queue:*</c> app settings. Every default here is documented in the README.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queue";

    public const string DefaultClinics =
        "lab,xray,eyes,internal,ent,surgery,dental,psychiatry,derma,bones,vitals,ecg,audio,women_internal,women_derma,women_eyes";

    /// <summary>Comma-separated clinic ids; empty means any well-formed id is a clinic.</summary>
    public string Clinics { get; set; } = DefaultClinics;

    /// <summary>IANA (or Windows) time zone id of the clinics.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Qatar";

    /// <summary>Local time (HH:mm) at which a new service day begins.</summary>
    [Required]
    public string ServiceDayStartsAt { get; set; } = "05:00";

    [Range(4, 9)]
    public int PinDigits { get; set; } = 4;

    [Range(1, 100)]
    public int MaxPinAttempts { get; set; } = 5;

    /// <summary>How long a request waits for the clinic's queue to confirm it before answering 504.</summary>
    [Range(1, 120)]
    public int ConfirmTimeoutSeconds { get; set; } = 10;

    /// <summary>Unsent changes a clinic keeps while <c>queue-events</c> is unreachable; beyond it the oldest are dropped (logged as an error).</summary>
    [Range(1, 100_000)]
    public int MaxOutbox { get; set; } = QueueRules.DefaultMaxOutbox;

    /// <summary>Waiting tickets one clinic holds at most; an enter or visit start beyond it is refused with <c>409 QUEUE_FULL</c>.</summary>
    [Range(1, 100_000)]
    public int MaxWaiting { get; set; } = QueueRules.DefaultMaxWaiting;

    /// <summary>How often an event stream sends a heartbeat comment, so idle connections are not dropped.</summary>
    [Range(0.05, 3600)]
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>How often an event stream repeats the current state even when nothing changed.</summary>
    [Range(0.05, 3600)]
    public double RefreshSeconds { get; set; } = 5;

    /// <summary>After how long the server ends an event stream; the browser reconnects by itself.</summary>
    [Range(0.001, 9)]
    public double StreamMinutes { get; set; } = 5;

    public IReadOnlyList<string> ClinicList() =>
        Clinics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToLowerInvariant())
            .Distinct()
            .ToList();

    public QueueRules ToRules() => new(
        TimeZoneInfo.FindSystemTimeZoneById(TimeZone),
        TimeOnly.ParseExact(ServiceDayStartsAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        PinDigits,
        MaxPinAttempts,
        MaxOutbox,
        MaxWaiting);
}
