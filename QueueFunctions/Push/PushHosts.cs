namespace QueueFunctions.Push;

/// <summary>
/// The push services the app may post to (<c>Push:AllowedHosts</c>). A subscription names the URL the server posts to,
/// so without this list any client could make the app send requests into its own network.
/// </summary>
public sealed record PushHosts(IReadOnlyList<string> Entries)
{
    public static PushHosts Parse(string setting) =>
        new(setting.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList());

    /// <summary>An exact host, or a sub-domain of a <c>*.</c> entry (never the bare parent, nor a look-alike suffix).</summary>
    public bool Allows(string host)
    {
        var name = host.ToLowerInvariant();
        return Entries.Any(entry => entry.StartsWith("*.", StringComparison.Ordinal)
            ? name.EndsWith(entry[1..], StringComparison.Ordinal) && name.Length > entry.Length - 1
            : name == entry);
    }
}
