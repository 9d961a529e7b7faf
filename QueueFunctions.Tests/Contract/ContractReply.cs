using System.Text;
using System.Text.Json;

namespace QueueFunctions.Tests.Contract;

/// <summary>A reply as it came over the wire: what the contract checks are made on.</summary>
/// <param name="ContentType">The Content-Type header as sent, parameters included; null without one.</param>
/// <param name="Headers">Response and content headers, names compared case-insensitively, repeated values joined with ", ".</param>
public sealed record ContractReply(int Status, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The media type alone: <c>application/json; charset=utf-8</c> is <c>application/json</c>.</summary>
    public string? MediaType => ContentType?.Split(';')[0].Trim().ToLowerInvariant();

    public static async Task<ContractReply> ReadAsync(HttpResponseMessage response, byte[]? body = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        return new ContractReply(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            headers,
            body ?? await response.Content.ReadAsByteArrayAsync());
    }

    public override string ToString() => $"{Status} {ContentType} {(Text.Length > 300 ? Text[..300] + "..." : Text)}";
}
