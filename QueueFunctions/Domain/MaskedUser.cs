namespace QueueFunctions.Domain;

/// <summary>
/// A user id as a staff screen shows it: enough to tell patients apart at the desk, not enough to read a military
/// number off a screen that the waiting room can see.
/// </summary>
public static class MaskedUser
{
    public const char Hidden = '•';

    public static string Of(string user) => user.Length switch
    {
        <= 2 => new string(Hidden, user.Length),
        <= 4 => user[0] + new string(Hidden, user.Length - 1),
        _ => user[..2] + new string(Hidden, user.Length - 4) + user[^2..],
    };
}
