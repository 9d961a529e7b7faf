using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.Api;

/// <summary>Which clinic ids the API accepts: any well-formed id, or only those in <c>Queue:Clinics</c>.</summary>
public sealed class ClinicDirectory(IOptions<QueueOptions> options)
{
    private readonly HashSet<string> known = options.Value.ClinicList().ToHashSet(StringComparer.Ordinal);

    public bool IsRestricted => known.Count > 0;

    public IReadOnlyCollection<string> Known => known;

    /// <exception cref="ApiProblem">INVALID_CLINIC for a bad shape, UNKNOWN_CLINIC for one not listed.</exception>
    public string Resolve(string raw)
    {
        if (!Identifiers.TryNormalizeClinic(raw, out var clinic))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidClinic, "A clinic id is 1-32 characters of a-z, 0-9, _ and -.");
        }

        if (IsRestricted && !known.Contains(clinic))
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, ErrorCodes.UnknownClinic, $"There is no clinic '{clinic}'.");
        }

        return clinic;
    }

    /// <summary>The request body's <c>clinic</c>.</summary>
    public string ClinicOf(JsonBody body) => Resolve(body.RequiredString("clinic", ErrorCodes.InvalidClinic));

    /// <summary>The query string's <c>clinic</c>.</summary>
    public string ClinicOf(HttpRequest request) => Resolve(QueryParameters.Required(request, "clinic", ErrorCodes.InvalidClinic));

    /// <summary>The request body's <c>user</c>.</summary>
    public static string UserOf(JsonBody body) => ResolveUser(body.RequiredString("user", ErrorCodes.InvalidUser));

    /// <exception cref="ApiProblem">INVALID_USER.</exception>
    public static string ResolveUser(string raw) =>
        Identifiers.TryNormalizeUser(raw, out var user)
            ? user
            : throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidUser, "A user id is 1-64 printable characters.");
}
