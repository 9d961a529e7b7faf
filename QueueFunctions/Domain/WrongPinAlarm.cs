namespace QueueFunctions.Domain;

/// <summary>
/// When a clinic's wrong PINs of the day suggest guessing rather than mistyping. The lock is per patient (5 wrong
/// PINs, as the contract fixes), so someone who takes many tickets gets 5 guesses on each. Refusing the whole clinic's
/// PINs past a budget would stop that, but would also let anyone block every patient's <c>done</c> with a few wrong
/// PINs a minute; the operator is told instead, at 50 wrong PINs and again at every doubling, and can raise
/// <c>Queue:PinDigits</c> (SECURITY.md).
/// </summary>
public static class WrongPinAlarm
{
    public const int First = 50;

    /// <summary>Whether the day's wrong PINs have just reached a level worth a warning: 50, 100, 200, 400, ...</summary>
    public static bool IsRaisedAt(int wrongPins) =>
        wrongPins >= First && wrongPins % First == 0 && int.IsPow2(wrongPins / First);
}
