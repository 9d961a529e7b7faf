using Microsoft.AspNetCore.Http;
using QueueFunctions.Api;

namespace QueueFunctions.History;

/// <summary>The <c>format</c> every report takes: <c>json</c> (the default) or <c>csv</c>, in any case.</summary>
public static class ReportFormat
{
    /// <returns>True for CSV, false for JSON.</returns>
    /// <exception cref="ApiProblem">INVALID_FORMAT for anything else.</exception>
    public static bool IsCsv(string raw) => raw.ToLowerInvariant() switch
    {
        "" or "json" => false,
        "csv" => true,
        _ => throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidFormat, "The format must be json or csv."),
    };
}
