using System.Globalization;
using System.Security.Cryptography;

namespace QueueFunctions.Domain;

/// <summary>A cryptographic random PIN: the PIN is what stops patients from marking themselves done.</summary>
public sealed class RandomPinGenerator : IPinGenerator
{
    public string NewPin(int digits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 9);
        var upper = (int)Math.Pow(10, digits);
        return RandomNumberGenerator.GetInt32(upper).ToString(new string('0', digits), CultureInfo.InvariantCulture);
    }
}
