using Microsoft.AspNetCore.Http;

namespace QueueFunctions.Api;

/// <summary>The <c>Idempotency-Key</c> request header: one per user action, the same on each retry of it.</summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 64;

    /// <returns>The key, or null when the request has none.</returns>
    /// <exception cref="ApiProblem">400 INVALID_IDEMPOTENCY_KEY: not 1-64 visible ASCII characters, or given twice.</exception>
    public static string? Of(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values) || values.Count == 0)
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (key is null || !IsWellFormed(key))
        {
            throw new ApiProblem(
                StatusCodes.Status400BadRequest,
                ErrorCodes.InvalidIdempotencyKey,
                $"The {Header} header is 1-{MaxLength} visible ASCII characters, given once.");
        }

        return key;
    }

    public static bool IsWellFormed(string key) =>
        key.Length is > 0 and <= MaxLength && key.All(c => c is > ' ' and <= '~');
}
