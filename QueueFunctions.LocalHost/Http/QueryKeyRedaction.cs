using System.Text.RegularExpressions;

namespace QueueFunctions.LocalHost.Http;

/// <summary>
/// Hides the value of a <c>code</c> query parameter (a function key) in text about to be logged. ASP.NET Core's request
/// log writes every address whole, and a key given as <c>?code=</c> would otherwise land in the log beside it.
/// </summary>
public static partial class QueryKeyRedaction
{
    public const string Replacement = "[hidden]";

    /// <returns>The text with every <c>code</c> parameter's value replaced; the same string when there is none.</returns>
    public static string Redact(string text) =>
        text.Contains("code=", StringComparison.OrdinalIgnoreCase) ? CodeValue().Replace(text, Replacement) : text;

    public static bool NeedsRedaction(string text) =>
        text.Contains("code=", StringComparison.OrdinalIgnoreCase) && CodeValue().IsMatch(text);

    [GeneratedRegex(@"(?<=[?&]code=)[^&\s#]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CodeValue();
}
