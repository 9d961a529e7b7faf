using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>Resolves the <c>%Setting%</c> parts of trigger attributes from configuration, as the Functions host's name resolver does.</summary>
static partial class SettingExpressions
{
    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Expression();

    /// <param name="where">Names the attribute in the error, e.g. "Queue function X: queue name".</param>
    public static string Resolve(string text, IConfiguration configuration, string where) =>
        Expression().Replace(text, match =>
        {
            string name = match.Groups[1].Value;
            return configuration[name] is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException($"{where} '{text}' refers to the setting '{name}', which is not configured.");
        });
}
