using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>GET /api/v1/queue/status?clinic=..[&amp;user=..]: the clinic's queue, and the user's place in it.</summary>
public sealed class StatusHandler(ClinicDirectory clinics, ClinicQueueClient queue)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinic = clinics.ClinicOf(request);
        var user = QueryParameters.OptionalUser(request);

        var state = await queue.ReadAsync(client, clinic, cancellationToken);
        if (user is null)
        {
            return ApiResult.Ok(new StatusResponse(clinic, state.Current, state.LastNumber, state.WaitingCount, state.DoneCount, state.ServiceDay));
        }

        var ticket = state.LatestTicketOf(user);
        var you = ticket is null ? null : new YourTicket(ticket.Number, ticket.Status, state.AheadOf(ticket.Number));
        return ApiResult.Ok(new UserStatusResponse(clinic, state.Current, state.LastNumber, state.WaitingCount, state.DoneCount, state.ServiceDay, you));
    }
}
