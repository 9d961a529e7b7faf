namespace QueueFunctions.Api;

/// <summary>A request the API refuses, with the status and machine code of the contract.</summary>
public sealed class ApiProblem(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static ApiProblem InvalidJson(string message) => new(400, ErrorCodes.InvalidJson, message);

    public static ApiProblem MissingField(string field) => new(400, ErrorCodes.MissingField, $"The field '{field}' is required.");

    public static ApiProblem BodyTooLarge(int limit) => new(413, ErrorCodes.BodyTooLarge, $"The request body is larger than {limit} bytes.");
}
