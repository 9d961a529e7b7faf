namespace QueueFunctions.Api;

/// <summary>A request the API refuses, with the status and machine code of the contract.</summary>
public sealed class ApiProblem(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>Headers the refusal carries, such as Retry-After.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; } = headers;

    public static ApiProblem InvalidJson(string message) => new(400, ErrorCodes.InvalidJson, message);

    public static ApiProblem MissingField(string field) => new(400, ErrorCodes.MissingField, $"The field '{field}' is required.");

    public static ApiProblem BodyTooLarge(int limit) => new(413, ErrorCodes.BodyTooLarge, $"The request body is larger than {limit} bytes.");

    /// <summary>429 with Retry-After in whole seconds (at least 1): a flood limit is reached.</summary>
    public static ApiProblem RateLimited(TimeSpan retryAfter) => new(
        429,
        ErrorCodes.RateLimited,
        "Too many requests right now; please try again shortly.",
        new Dictionary<string, string>
        {
            ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
}
