using Microsoft.AspNetCore.Http;

namespace QueueFunctions.Api;

/// <summary>The query-string fields of the GET endpoints, with the same rules as body fields.</summary>
public static class QueryParameters
{
    /// <exception cref="ApiProblem">MISSING_FIELD when absent or empty.</exception>
    public static string Required(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return string.IsNullOrEmpty(value) ? throw ApiProblem.MissingField(name) : value;
    }

    /// <summary>The optional <c>user</c> field: null when absent, INVALID_USER when ill-formed.</summary>
    public static string? OptionalUser(HttpRequest request)
    {
        var raw = request.Query["user"].ToString();
        return string.IsNullOrEmpty(raw) ? null : ClinicDirectory.ResolveUser(raw);
    }
}
