using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;

namespace QueueFunctions.Overview;

/// <summary>Every route of the manager's overview, in one place; both are for staff (a function key).</summary>
public sealed class OverviewEndpoints(OverviewHandler snapshot, OverviewStreamHandler stream)
{
    /// <summary>Staff: every clinic's figures now, with the centre's totals.</summary>
    [Function("Overview")]
    public Task<IActionResult> Snapshot(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/v1/overview")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => snapshot.HandleAsync(client, cancellationToken));

    /// <summary>Staff: the same, live, as Server-Sent Events.</summary>
    [Function("OverviewStream")]
    public Task<IActionResult> Stream(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/v1/overview/stream")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => stream.HandleAsync(request, client, cancellationToken));
}
