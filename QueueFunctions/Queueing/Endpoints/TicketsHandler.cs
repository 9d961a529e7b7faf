using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>
/// GET /api/v1/queue/tickets?clinic=..: the staff console's list of today's tickets: every waiting one and the
/// recently finished ones (the clinic's state keeps those for an hour; the daily report has the rest).
/// </summary>
public sealed class TicketsHandler(ClinicDirectory clinics, ClinicQueueClient queue)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinic = clinics.ClinicOf(request);
        var state = await queue.ReadAsync(client, clinic, cancellationToken);
        var now = queue.Now;
        var lines = state.Tickets
            .OrderBy(t => t.Number)
            .Select(t => new TicketLine(
                t.Number,
                t.Status,
                MaskedUser.Of(t.User),
                queue.Rules.ToLocal(t.EnteredAt),
                (int)Math.Max(0, ((t.FinishedAt ?? now) - t.EnteredAt).TotalMinutes),
                t.Visit is not null))
            .ToList();
        return ApiResult.Ok(new TicketsResponse(clinic, state.ServiceDay, state.Current, state.WaitingCount, state.LastNumber, lines));
    }
}
