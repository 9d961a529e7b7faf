using System.Globalization;
using Microsoft.Extensions.Options;
using QueueFunctions.Domain;

namespace QueueFunctions.Configuration;

/// <summary>Refuses to start with settings that would otherwise fail on the first request.</summary>
public sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var failures = new List<string>();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone ?? string.Empty, out _))
        {
            failures.Add($"Queue:TimeZone '{options.TimeZone}' is not a known time zone.");
        }

        if (!TimeOnly.TryParseExact(options.ServiceDayStartsAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            failures.Add($"Queue:ServiceDayStartsAt '{options.ServiceDayStartsAt}' is not a time of day as HH:mm.");
        }

        foreach (var clinic in options.ClinicList())
        {
            if (!Identifiers.TryNormalizeClinic(clinic, out _))
            {
                failures.Add($"Queue:Clinics lists '{clinic}', which is not a valid clinic id (1-32 of a-z 0-9 _ -).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
