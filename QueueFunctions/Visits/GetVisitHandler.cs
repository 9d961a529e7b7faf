using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Queueing;

namespace QueueFunctions.Visits;

/// <summary>GET /api/v1/visits?user=..: the patient's visit of today, with where they stand now.</summary>
public sealed class GetVisitHandler(VisitClient visits, ClinicQueueClient queue)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var user = ClinicDirectory.ResolveUser(QueryParameters.Required(request, "user", ErrorCodes.InvalidUser));
        var visit = await visits.FindAsync(client, user, cancellationToken);
        return visit is null
            ? ApiResult.Error(StatusCodes.Status404NotFound, ErrorCodes.NoVisit, $"'{user}' has no visit today.")
            : await VisitReply.OkAsync(visits, queue, client, visit, existing: null, cancellationToken);
    }
}
