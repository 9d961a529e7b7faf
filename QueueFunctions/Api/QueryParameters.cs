using Microsoft.AspNetCore.Http;

namespace QueueFunctions.Api;

/// <summary>The query-string fields of the GET endpoints, with the same rules as body fields.</summary>
public static class QueryParameters
{
    /// <exception cref="ApiProblem">MISSING_FIELD when absent or empty; <paramref name="invalidCode"/> when given twice.</exception>
    public static string Required(HttpRequest request, string name, string invalidCode)
    {
        var value = Single(request, name, invalidCode);
        return string.IsNullOrEmpty(value) ? throw ApiProblem.MissingField(name) : value;
    }

    /// <summary>An optional parameter: empty when absent.</summary>
    /// <exception cref="ApiProblem"><paramref name="invalidCode"/> when given twice.</exception>
    public static string Optional(HttpRequest request, string name, string invalidCode) => Single(request, name, invalidCode);

    /// <summary>The optional <c>user</c> field: null when absent, INVALID_USER when ill-formed or given twice.</summary>
    public static string? OptionalUser(HttpRequest request)
    {
        var raw = Single(request, "user", ErrorCodes.InvalidUser);
        return string.IsNullOrEmpty(raw) ? null : ClinicDirectory.ResolveUser(raw);
    }

    /// <summary>
    /// A parameter given twice is refused rather than joined with a comma: <c>user=A&amp;user=B</c> would otherwise read
    /// as the id "A,B", and <c>clinic=lab&amp;clinic=xray</c> as a board of two clinics.
    /// </summary>
    private static string Single(HttpRequest request, string name, string invalidCode)
    {
        var values = request.Query[name];
        return values.Count > 1
            ? throw new ApiProblem(StatusCodes.Status400BadRequest, invalidCode, $"The parameter '{name}' is given more than once.")
            : values.ToString();
    }
}
