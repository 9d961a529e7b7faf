using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace QueueFunctions.Queueing;

/// <summary>The shapes of the ids the API accepts.</summary>
public static class Identifiers
{
    public const int MaxClinicLength = 32;
    public const int MaxUserLength = 64;

    /// <summary>1-32 characters of a-z 0-9 _ -, compared case-insensitively and kept lower-case.</summary>
    public static bool TryNormalizeClinic(string? raw, [NotNullWhen(true)] out string? clinic)
    {
        clinic = null;
        var candidate = raw?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxClinicLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-'))
            {
                return false;
            }
        }

        clinic = candidate;
        return true;
    }

    /// <summary>
    /// 1-64 printable characters after trimming; kept as typed, compared case-insensitively. Invisible formatting
    /// characters (bidirectional overrides and isolates, zero-width spaces and joiners) are refused too: an id made of
    /// them looks empty, and on a staff screen one can disguise itself or reorder the text around it.
    /// </summary>
    public static bool TryNormalizeUser(string? raw, [NotNullWhen(true)] out string? user)
    {
        user = null;
        var candidate = raw?.Trim();
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxUserLength)
        {
            return false;
        }

        for (var i = 0; i < candidate.Length; i++)
        {
            // Unpaired surrogates and line separators break the JSON and the boards that show the id.
            if (!Rune.TryGetRuneAt(candidate, i, out var rune)
                || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format)
            {
                return false;
            }

            i += rune.Utf16SequenceLength - 1;
        }

        user = candidate;
        return true;
    }

    /// <summary>The PIN a patient types: exactly the configured number of ASCII digits.</summary>
    public static bool IsPinShaped(string? pin, int digits) =>
        pin is not null && pin.Length == digits && pin.All(char.IsAsciiDigit);
}
