using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace QueueFunctions.Api;

/// <summary>A request's JSON object, read with the contract's size limit and field rules.</summary>
public sealed class JsonBody
{
    public const int MaxBytes = 4 * 1024;

    /// <summary>A whole body of at most 4 KiB arrives in well under a second on any working network.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A key given twice is refused: two readers of the same body (a gateway, a log, this app) could otherwise each
    /// take a different value of it.
    /// </summary>
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    private readonly JsonElement root;
    private readonly byte[] raw;

    private JsonBody(JsonElement root, byte[] raw)
    {
        this.root = root;
        this.raw = raw;
    }

    /// <summary>The body as it arrived.</summary>
    public ReadOnlySpan<byte> Raw => raw;

    /// <exception cref="ApiProblem">413 over 4 KiB, 408 when it has not arrived within <see cref="ReadTimeout"/>, 400 when it is not a JSON object.</exception>
    public static Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadAsync(request, ReadTimeout, cancellationToken);

    /// <exception cref="ApiProblem">413 over 4 KiB, 408 when it has not arrived within <paramref name="readTimeout"/>, 400 when it is not a JSON object.</exception>
    internal static async Task<JsonBody> ReadAsync(HttpRequest request, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        RequireJsonContentType(request);
        if (request.ContentLength > MaxBytes)
        {
            throw ApiProblem.BodyTooLarge(MaxBytes);
        }

        // The declared length may be absent or wrong (chunked uploads), so count what actually arrives. A body that
        // trickles in is cut off after the read timeout, so it cannot hold the request open however slowly it is sent.
        // The timeout cancels the pending read rather than the read's token, which leaves the server's body reader in a
        // state it can still drain or close cleanly.
        byte[] bytes;
        var reader = request.BodyReader;
        using (var deadline = new CancellationTokenSource(readTimeout))
        using (deadline.Token.Register(() => reader.CancelPendingRead()))
        {
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken);
                    var buffer = result.Buffer;
                    if (buffer.Length > MaxBytes)
                    {
                        reader.AdvanceTo(buffer.Start, buffer.End);
                        throw ApiProblem.BodyTooLarge(MaxBytes);
                    }

                    if (result.IsCanceled)
                    {
                        reader.AdvanceTo(buffer.Start, buffer.End);
                        throw new ApiProblem(StatusCodes.Status408RequestTimeout, ErrorCodes.RequestTimeout, $"The request body did not arrive within {readTimeout.TotalSeconds:0.#} seconds.");
                    }

                    if (result.IsCompleted)
                    {
                        bytes = buffer.ToArray();
                        reader.AdvanceTo(buffer.End);
                        break;
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
            catch (BadHttpRequestException bad)
            {
                // The server refused the body itself (too slow, cut short, or too large): the client's fault, not ours.
                throw bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => ApiProblem.BodyTooLarge(MaxBytes),
                    StatusCodes.Status408RequestTimeout => new ApiProblem(bad.StatusCode, ErrorCodes.RequestTimeout, "The request body arrived too slowly."),
                    _ => ApiProblem.InvalidJson("The request body could not be read."),
                };
            }
            catch (IOException)
            {
                // Some malformed framings surface as a plain IOException (Kestrel reports a chunk size that overflows so).
                throw ApiProblem.InvalidJson("The request body could not be read.");
            }
        }

        if (bytes.Length == 0)
        {
            throw ApiProblem.InvalidJson("The request body is empty; a JSON object is expected.");
        }

        // JSON text is UTF-8. The parser checks a string's bytes only when the string is read, so bytes that are not
        // UTF-8 in a field nobody reads would otherwise pass.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw ApiProblem.InvalidJson("The request body is not UTF-8.");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, Strict);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiProblem.InvalidJson("The request body must be a JSON object.");
            }

            return new JsonBody(document.RootElement.Clone(), bytes);
        }
        catch (JsonException)
        {
            throw ApiProblem.InvalidJson("The request body is not valid JSON.");
        }
    }

    /// <summary>
    /// A body declared as anything but JSON in UTF-8 is refused before it is read: the declaration and the bytes would
    /// disagree, and a form or a text/plain post is not what any client of this API sends. A request without a
    /// Content-Type is read as JSON, as the simplest clients send it.
    /// </summary>
    private static void RequireJsonContentType(HttpRequest request)
    {
        var declared = request.Headers.ContentType;
        if (declared.Count == 0)
        {
            return;
        }

        if (declared.Count == 1
            && MediaTypeHeaderValue.TryParse(declared.ToString(), out var type)
            && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        throw new ApiProblem(
            StatusCodes.Status415UnsupportedMediaType,
            ErrorCodes.UnsupportedMediaType,
            "The request body must be JSON in UTF-8: Content-Type: application/json; charset=utf-8.");
    }

    /// <summary>An optional whole number of at least 1; absent or null is null, anything else is <paramref name="invalidCode"/>.</summary>
    public int? OptionalPositiveInt(string field, string invalidCode)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 1
            ? number
            : throw new ApiProblem(StatusCodes.Status400BadRequest, invalidCode, $"The field '{field}' must be a whole number of at least 1.");
    }

    /// <summary>
    /// A required JSON object field, read with the same rules as the body (a Web Push subscription nests its keys); absent
    /// or null is MISSING_FIELD, any other JSON type is <paramref name="invalidCode"/>.
    /// </summary>
    public JsonBody RequiredObject(string field, string invalidCode)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw ApiProblem.MissingField(field);
        }

        return value.ValueKind == JsonValueKind.Object
            ? new JsonBody(value, raw)
            : throw new ApiProblem(StatusCodes.Status400BadRequest, invalidCode, $"The field '{field}' must be an object.");
    }

    /// <summary>An optional string field; absent or null is null, any other JSON type is <paramref name="invalidCode"/>.</summary>
    public string? OptionalString(string field, string invalidCode) =>
        root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? RequiredString(field, invalidCode) : null;

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
