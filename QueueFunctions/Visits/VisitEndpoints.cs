using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;

namespace QueueFunctions.Visits;

/// <summary>Every route of a patient's exam visit, in one place. The shared edge reads the request first (<see cref="ApiEndpoint"/>).</summary>
public sealed class VisitEndpoints(StartVisitHandler start, GetVisitHandler get)
{
    [Function("StartVisit")]
    public Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/visits")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.PostAsync(request, body => start.HandleAsync(request, body, client, cancellationToken), cancellationToken);

    [Function("GetVisit")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/visits")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => get.HandleAsync(request, client, cancellationToken));
}
