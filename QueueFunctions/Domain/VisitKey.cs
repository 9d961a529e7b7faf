using System.Security.Cryptography;
using System.Text;

namespace QueueFunctions.Domain;

/// <summary>
/// The id of a patient's visit on a service day. A visit is named by its user and day alone, so a clinic that only
/// remembers that a ticket was a visit's step can still name the visit. The user id is hashed: it may hold characters
/// that instance ids (table keys) refuse, and hashing the case-folded id matches users as the queues do, ignoring case.
/// </summary>
public static class VisitKey
{
    public const string Prefix = "visit-";

    public static string Of(string user, DateOnly serviceDay)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ClinicQueueState.UserKey(user)));
        return $"{Prefix}{serviceDay:yyyyMMdd}-{Convert.ToHexStringLower(hash)[..32]}";
    }
}
