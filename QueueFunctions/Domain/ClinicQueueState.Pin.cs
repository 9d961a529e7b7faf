using System.Security.Cryptography;
using System.Text;

namespace QueueFunctions.Domain;

/// <summary>
/// The service day's PIN, which staff hand to the patients they examine so that only they finish their own ticket, and
/// the wrong ones typed against it: a patient who types too many is locked out for the day.
/// </summary>
public sealed partial record ClinicQueueState
{
    /// <summary>Wrong PINs this service day over all patients.</summary>
    public int WrongPins => PinFailures.Values.Sum();

    public bool IsPinLocked(string user, QueueRules rules) =>
        PinFailures.TryGetValue(UserKey(user), out var failures) && failures >= rules.MaxPinAttempts;

    /// <summary>One more wrong PIN from <paramref name="user"/>, counted as a change of the queue.</summary>
    private ClinicQueueState WithWrongPinFrom(string user)
    {
        var key = UserKey(user);
        return this with { Version = Version + 1, PinFailures = PinFailures.SetItem(key, PinFailures.GetValueOrDefault(key) + 1) };
    }

    /// <summary>
    /// Compares in constant time, so the time a wrong PIN takes to refuse tells nothing about how much of it was right.
    /// </summary>
    private static bool PinMatches(string given, string expected) =>
        expected.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
