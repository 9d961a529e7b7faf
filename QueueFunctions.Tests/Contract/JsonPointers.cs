using System.Text.Json;

namespace QueueFunctions.Tests.Contract;

/// <summary>RFC 6901 fragments (<c>#/paths/~1api~1v1~1visits/get</c>) into a JSON document, and the <c>$ref</c>s that use them.</summary>
public static class JsonPointers
{
    /// <summary>A fragment for the given property names, each escaped.</summary>
    public static string Pointer(params string[] tokens) => "#/" + string.Join('/', tokens.Select(Escape));

    /// <summary>The fragment one property below <paramref name="pointer"/>.</summary>
    public static string Child(string pointer, string token) => pointer + "/" + Escape(token);

    /// <returns>The node the fragment names, or null when there is none.</returns>
    public static JsonElement? Resolve(JsonElement root, string fragment)
    {
        if (!fragment.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var node = root;
        foreach (var token in fragment[2..].Split('/').Select(Unescape))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(token, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Follows <c>$ref</c>s (Reference Objects may chain) to the object they name, and where it lives.</summary>
    public static (JsonElement Node, string Pointer) Follow(JsonElement root, JsonElement node, string pointer)
    {
        for (var hops = 0; node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out var target); hops++)
        {
            if (hops > 8)
            {
                throw new InvalidOperationException($"A $ref chain at {pointer} is too long.");
            }

            pointer = target.GetString()!;
            node = Resolve(root, pointer) ?? throw new InvalidOperationException($"The $ref {pointer} names nothing.");
        }

        return (node, pointer);
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
