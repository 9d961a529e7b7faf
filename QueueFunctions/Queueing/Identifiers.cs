using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace QueueFunctions.Queueing;

/// <summary>The shapes of the ids the API accepts.</summary>
public static class Identifiers
{
    public const int MaxClinicLength = 32;
    public const int MaxUserLength = 64;

    /// <summary>Letters that are drawn as blank space: the Hangul fillers and the blank Braille pattern.</summary>
    private static readonly HashSet<int> BlankLetters = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800];

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
    /// characters (bidirectional overrides and isolates, zero-width spaces and joiners), private-use and unassigned code
    /// points and blank letters are refused too: an id made of them looks empty or unreadable, and on a staff screen one
    /// can disguise itself or reorder the text around it.
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
            // Private-use and unassigned code points (noncharacters such as U+FFFF among them) print as nothing or as a
            // box that staff cannot read back, and the blank letters print as a space.
            if (!Rune.TryGetRuneAt(candidate, i, out var rune)
                || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                || BlankLetters.Contains(rune.Value))
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
