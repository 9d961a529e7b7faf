using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>POST /api/v1/queue/enter: a patient takes a number, or gets back the one they hold.</summary>
public sealed class EnterHandler(ClinicDirectory clinics, ClinicQueueClient queue, IVisitSteps visits, FloodLimiters limits, IdempotentReplies replies)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, JsonBody body, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinic = clinics.ClinicOf(body);
        var user = ClinicDirectory.UserOf(body);
        if (limits.TryEnter(clinic) is { } wait)
        {
            throw ApiProblem.RateLimited(wait);
        }

        return await replies.RunAsync(request, clinic, "enter", body, async key =>
        {
            // The visit's read counts against the confirmation limit: with storage down, its retries are most of it.
            var started = Stopwatch.GetTimestamp();
            var visit = await visits.VisitHereAsync(client, clinic, user, cancellationToken);
            var (ticket, existing, state) = await queue.EnterAsync(client, clinic, user, cancellationToken, visit, started, key);
            var ahead = state.AheadOf(ticket.Number);
            return ApiResult.Ok(new EnterResponse(
                clinic,
                ticket.User,
                ticket.Number,
                ticket.Status,
                ahead,
                state.Current,
                state.ServiceDay,
                queue.Rules.ToLocal(ticket.EnteredAt),
                existing,
                WaitEstimator.EstimateMinutes(state, ahead)));
        }, cancellationToken);
    }
}
