using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>
/// Every route of the clinic queue, in one place: who may call it (anonymous, or a function key) and which handler
/// answers. The shared edge reads the request first (<see cref="ApiEndpoint"/>).
/// </summary>
public sealed class QueueEndpoints(
    EnterHandler enter,
    StatusHandler status,
    DoneHandler done,
    CallHandler call,
    ResetHandler reset,
    TicketsHandler tickets,
    PinStatusHandler pins)
{
    [Function("QueueEnter")]
    public Task<IActionResult> Enter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/queue/enter")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.PostAsync(request, body => enter.HandleAsync(request, body, client, cancellationToken), cancellationToken);

    [Function("QueueStatus")]
    public Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/queue/status")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => status.HandleAsync(request, client, cancellationToken));

    [Function("QueueDone")]
    public Task<IActionResult> Done(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/queue/done")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.PostAsync(request, body => done.HandleAsync(request, body, client, cancellationToken), cancellationToken);

    /// <summary>Staff: the patient being served did not come.</summary>
    [Function("QueueCall")]
    public Task<IActionResult> Call(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/v1/queue/call")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.PostAsync(request, body => call.HandleAsync(request, body, client, cancellationToken), cancellationToken);

    /// <summary>Admin: start the clinic's service day over.</summary>
    [Function("QueueReset")]
    public Task<IActionResult> Reset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/v1/queue/reset")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.PostAsync(request, body => reset.HandleAsync(request, body, client, cancellationToken), cancellationToken);

    /// <summary>Staff: the console's list of today's tickets.</summary>
    [Function("QueueTickets")]
    public Task<IActionResult> Tickets(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/v1/queue/tickets")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => tickets.HandleAsync(request, client, cancellationToken));

    /// <summary>Staff: every clinic's PIN of the day.</summary>
    [Function("PinStatus")]
    public Task<IActionResult> PinStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/v1/pin/status")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => pins.HandleAsync(request, client, cancellationToken));
}
