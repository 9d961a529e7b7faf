using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace QueueFunctions.Api;

/// <summary>
/// A JSON response written exactly as the contract spells it. It writes the body itself, so it needs
/// no MVC formatters and behaves the same under the Functions host and in tests.
/// </summary>
public sealed class ApiResult(int status, object body, IReadOnlyDictionary<string, string>? headers = null) : IActionResult
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>
    /// Arabic and other non-Latin text is written as it is rather than as \uXXXX escapes, so replies stay readable;
    /// characters that matter in HTML (&lt; &gt; &amp; quotes) are still escaped.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public int Status { get; } = status;

    public object Body { get; } = body;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();

    /// <summary>A successful answer; reads must not be cached by browsers or proxies.</summary>
    public static ApiResult Ok(object body) =>
        new(StatusCodes.Status200OK, body, new Dictionary<string, string> { ["Cache-Control"] = "no-cache" });

    public static ApiResult Error(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new ErrorResponse(message, code), headers);

    public static ApiResult From(ApiProblem problem) => Error(problem.Status, problem.Code, problem.Message, problem.Headers);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = JsonContentType;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), Json, context.HttpContext.RequestAborted);
    }
}
