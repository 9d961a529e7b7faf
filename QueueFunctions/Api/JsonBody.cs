using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace QueueFunctions.Api;

/// <summary>A request's JSON object, read with the contract's size limit and field rules.</summary>
public sealed class JsonBody
{
    public const int MaxBytes = 4 * 1024;

    private readonly JsonElement root;

    private JsonBody(JsonElement root) => this.root = root;

    /// <exception cref="ApiProblem">413 over 4 KiB, 400 when it is not a JSON object.</exception>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw ApiProblem.BodyTooLarge(MaxBytes);
        }

        // The declared length may be absent or wrong (chunked uploads), so count what actually arrives.
        var buffer = new byte[MaxBytes + 1];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += chunk;
        }

        if (read > MaxBytes)
        {
            throw ApiProblem.BodyTooLarge(MaxBytes);
        }

        if (read == 0)
        {
            throw ApiProblem.InvalidJson("The request body is empty; a JSON object is expected.");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, read));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiProblem.InvalidJson("The request body must be a JSON object.");
            }

            return new JsonBody(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            throw ApiProblem.InvalidJson("The request body is not valid JSON.");
        }
    }

    /// <summary>A required string field; absent or null is MISSING_FIELD, any other JSON type is <paramref name="invalidCode"/>.</summary>
    public string RequiredString(string field, string invalidCode)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw ApiProblem.MissingField(field);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, invalidCode, $"The field '{field}' must be a string.");
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A string escape that is not text, such as a lone surrogate ("\ud800"), is a bad field, not a server error.
            throw new ApiProblem(StatusCodes.Status400BadRequest, invalidCode, $"The field '{field}' is not valid text.");
        }
    }
}
