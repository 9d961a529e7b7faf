using QueueFunctions.Domain;

namespace QueueFunctions.Tests.Support;

/// <summary>Shared test values: Qatar time, a 05:00 service day, and a morning on 2026-11-29.</summary>
public static class Clinic
{
    public static readonly TimeZoneInfo Qatar = TimeZoneInfo.FindSystemTimeZoneById("Asia/Qatar");

    public static readonly QueueRules Rules = new(Qatar, new TimeOnly(5, 0), PinDigits: 4, MaxPinAttempts: 5);

    /// <summary>08:00 in Doha on 2026-11-29, inside that day's service day.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 11, 29, 8, 0, 0, TimeSpan.FromHours(3));

    public static readonly DateOnly Today = new(2026, 11, 29);

    public const string Pin = "4821";

    public const string WrongPin = "0000";

    /// <summary>A lab queue already open on <see cref="Morning"/> with PIN <see cref="Pin"/>.</summary>
    public static ClinicQueueState OpenLab() => ClinicQueueState.New("lab").OnDayOf(Morning, Rules, new FixedPins(Pin));

    public static ClinicQueueState WithPatients(this ClinicQueueState state, params string[] users)
    {
        var at = Morning;
        foreach (var user in users)
        {
            at = at.AddMinutes(1);
            state = state.Enter(user, "req-" + user, at, Rules, new FixedPins(Pin));
        }

        return state;
    }
}
