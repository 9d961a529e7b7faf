using System.ComponentModel.DataAnnotations;
using QueueFunctions.Queueing;

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

    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;

    [Range(1, 240)]
    public int StreamMinutes { get; set; } = 5;

    public IReadOnlyList<string> ClinicList() =>
        Clinics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToLowerInvariant())
            .Distinct()
            .ToList();

    public QueueRules ToRules() => new(
        TimeZoneInfo.FindSystemTimeZoneById(TimeZone),
        TimeOnly.ParseExact(ServiceDayStartsAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        PinDigits,
        MaxPinAttempts);
}
