using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace QueueFunctions.Tests.Contract;

/// <summary>
/// Checks a reply against the OpenAPI document: the status must be documented for the operation, the content type
/// must be one the response lists (and none when it lists none), the headers it marks required must be there and
/// match their schemas, and the body must validate against the schema of that status and type. JSON bodies are
/// validated as JSON; text bodies (CSV, HTML, an event stream's opening) as a JSON string, so a pattern can hold them
/// to their shape. Schemas are evaluated where they stand in the document, so their <c>$ref</c>s resolve into it.
/// </summary>
public sealed class ReplyValidator
{
    /// <summary>Where the document is registered for <c>$ref</c> resolution; never fetched.</summary>
    private static readonly Uri Base = new("https://contract.clinic-queue.test/openapi.json");

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly JsonElement root;
    private readonly BuildOptions build;
    private readonly Dictionary<string, JsonSchema> schemas = new(StringComparer.Ordinal);

    // One validator serves tests running in parallel and concurrent requests of one test.
    private readonly Lock gate = new();

    public ReplyValidator(JsonElement document)
    {
        root = document;
        var registry = new SchemaRegistry();
        registry.Register(Base, new JsonElementBaseDocument(document, Base));
        build = new BuildOptions { SchemaRegistry = registry };
    }

    public static ReplyValidator ForContract { get; } = new(ContractDocument.Root);

    /// <returns>Every way the reply departs from the document; empty when it conforms.</returns>
    public IReadOnlyList<string> Problems(string method, string path, ContractReply reply)
    {
        var operationPointer = JsonPointers.Pointer("paths", path, method.ToLowerInvariant());
        if (JsonPointers.Resolve(root, operationPointer) is not { } operation)
        {
            return [$"{method} {path} is not in the document"];
        }

        var status = reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.TryGetProperty("responses", out var responses) || !responses.TryGetProperty(status, out var response))
        {
            return [$"{method} {path}: status {reply.Status} is not documented ({reply})"];
        }

        var (resolved, responsePointer) = JsonPointers.Follow(root, response, JsonPointers.Child(JsonPointers.Child(operationPointer, "responses"), status));
        var problems = new List<string>();
        CheckHeaders(resolved, responsePointer, reply, problems);
        CheckContent(resolved, responsePointer, reply, problems);
        return problems.Select(p => $"{method} {path} {reply.Status}: {p}").ToList();
    }

    private void CheckHeaders(JsonElement response, string pointer, ContractReply reply, List<string> problems)
    {
        if (!response.TryGetProperty("headers", out var headers))
        {
            return;
        }

        foreach (var header in headers.EnumerateObject())
        {
            var (definition, at) = JsonPointers.Follow(root, header.Value, JsonPointers.Child(JsonPointers.Child(pointer, "headers"), header.Name));
            var required = definition.TryGetProperty("required", out var flag) && flag.GetBoolean();
            if (reply.Header(header.Name) is not { } value)
            {
                if (required)
                {
                    problems.Add($"required header {header.Name} is missing");
                }

                continue;
            }

            if (definition.TryGetProperty("schema", out _))
            {
                problems.AddRange(Evaluate(JsonPointers.Child(at, "schema"), JsonValue.Create(value)).Select(e => $"header {header.Name} '{value}': {e}"));
            }
        }
    }

    private void CheckContent(JsonElement response, string pointer, ContractReply reply, List<string> problems)
    {
        if (!response.TryGetProperty("content", out var content))
        {
            if (reply.Body.Length > 0)
            {
                problems.Add($"the document gives this reply no body, but it has {reply.Body.Length} bytes");
            }

            return;
        }

        var mediaType = reply.MediaType;
        var media = content.EnumerateObject().FirstOrDefault(m => string.Equals(m.Name, mediaType, StringComparison.OrdinalIgnoreCase));
        if (mediaType is null || media.Value.ValueKind == JsonValueKind.Undefined)
        {
            problems.Add($"content type '{reply.ContentType}' is not one of {string.Join(", ", content.EnumerateObject().Select(m => m.Name))}");
            return;
        }

        if (!media.Value.TryGetProperty("schema", out _))
        {
            // A binary body (an image, a font): the document gives its type only.
            return;
        }

        var schemaPointer = JsonPointers.Child(JsonPointers.Child(JsonPointers.Child(pointer, "content"), media.Name), "schema");
        if (IsJson(mediaType))
        {
            if (!reply.ContentType!.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"JSON is sent as '{reply.ContentType}', without charset=utf-8");
            }

            JsonNode? body;
            try
            {
                body = JsonNode.Parse(reply.Body);
            }
            catch (JsonException e)
            {
                problems.Add($"the body is not JSON: {e.Message}");
                return;
            }

            problems.AddRange(Evaluate(schemaPointer, body));
        }
        else
        {
            problems.AddRange(Evaluate(schemaPointer, JsonValue.Create(reply.Text)));
        }
    }

    /// <summary>
    /// Checks the JSON of one <c>data:</c> line of an event stream against the schema the stream's media type names in
    /// <c>x-data-schema</c> (OpenAPI 3.1 has no keyword for the items of a stream).
    /// </summary>
    public IReadOnlyList<string> EventDataProblems(string path, string data)
    {
        var pointer = JsonPointers.Pointer("paths", path, "get", "responses", "200", "content", "text/event-stream", "x-data-schema");
        if (JsonPointers.Resolve(root, pointer) is null)
        {
            return [$"GET {path} documents no x-data-schema for its stream"];
        }

        JsonNode? message;
        try
        {
            message = JsonNode.Parse(data);
        }
        catch (JsonException e)
        {
            return [$"GET {path}: a data line is not JSON ({e.Message}): {data}"];
        }

        return Evaluate(pointer, message).Select(p => $"GET {path} data {data}: {p}").ToList();
    }

    /// <summary>Evaluates a JSON value against the schema at a pointer of the document.</summary>
    public IReadOnlyList<string> Evaluate(string schemaPointer, JsonNode? instance)
    {
        using var document = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        EvaluationResults result;
        lock (gate)
        {
            if (!schemas.TryGetValue(schemaPointer, out var schema))
            {
                schema = JsonSchema.FromText($$"""{"$ref": "{{Base}}{{schemaPointer}}"}""", build);
                schemas[schemaPointer] = schema;
            }

            result = schema.Evaluate(document.RootElement, Evaluation);
        }

        return result.IsValid
            ? []
            : (result.Details ?? []).Prepend(result)
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                .DefaultIfEmpty($"does not validate against {schemaPointer}")
                .ToList();
    }

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

}
