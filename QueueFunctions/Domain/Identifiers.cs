using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace QueueFunctions.Domain;

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
    /// 1-64 printable characters after trimming, compared case-insensitively. Invisible formatting characters
    /// (bidirectional overrides and isolates, zero-width spaces and joiners), private-use and unassigned code points,
    /// blank letters and U+FFFD are refused: an id made of them looks empty or unreadable, on a staff screen one can
    /// disguise itself or reorder the text around it, and U+FFFD stands for bytes a decoder could not read.
    /// A valid id is kept in one written form (<see cref="Canonical"/>), so one patient is one id however it was typed.
    /// </summary>
    public static bool TryNormalizeUser(string? raw, [NotNullWhen(true)] out string? user)
    {
        user = null;
        // Normalizing can shorten an id (a letter typed with a separate accent becomes one character), so the limit is
        // applied to the kept form; this looser bound only keeps the work on an oversized input small. Unpaired
        // surrogates must be refused before normalizing, which throws on them.
        var candidate = raw?.Trim();
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxUserLength * 4 || !IsPrintable(candidate))
        {
            return false;
        }

        candidate = Canonical(candidate).Trim();
        if (candidate.Length is 0 or > MaxUserLength || !IsPrintable(candidate))
        {
            return false;
        }

        user = candidate;
        return true;
    }

    /// <summary>
    /// Compatibility-normalized (NFKC: full-width letters, ligatures and composed accents each written one way), with
    /// the digits of every script written as ASCII digits. A military number typed on a phone's Arabic keyboard
    /// (U+0660-0669) or on a full-width keyboard is then the same id as at the kiosk.
    /// </summary>
    private static string Canonical(string id)
    {
        var normalized = id.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    private static bool IsPrintable(string id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            // Unpaired surrogates and line separators break the JSON and the boards that show the id.
            // Private-use and unassigned code points (noncharacters such as U+FFFF among them) print as nothing or as a
            // box that staff cannot read back, and the blank letters print as a space.
            if (!Rune.TryGetRuneAt(id, i, out var rune)
                || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                || BlankLetters.Contains(rune.Value)
                || rune == Rune.ReplacementChar)
            {
                return false;
            }

            i += rune.Utf16SequenceLength - 1;
        }

        return true;
    }

    /// <summary>The PIN a patient types: exactly the configured number of ASCII digits.</summary>
    public static bool IsPinShaped(string? pin, int digits) =>
        pin is not null && pin.Length == digits && pin.All(char.IsAsciiDigit);
}
