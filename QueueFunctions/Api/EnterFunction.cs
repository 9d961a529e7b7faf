using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api.Contracts;
using QueueFunctions.Api.Idempotency;
using QueueFunctions.Entities;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing;
using QueueFunctions.Visits;

namespace QueueFunctions.Api;

/// <summary>POST /api/v1/queue/enter: a patient takes a number, or gets back the one they hold.</summary>
public sealed class EnterFunction(ClinicDirectory clinics, ClinicQueueClient queue, VisitClient visits, FloodLimiters limits, IdempotentReplies replies)
{
    [Function("QueueEnter")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/queue/enter")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiGuard.RunAsync(async () =>
        {
            var body = await JsonBody.ReadAsync(request, cancellationToken);
            var clinic = clinics.Resolve(body.RequiredString("clinic", ErrorCodes.InvalidClinic));
            var user = ClinicDirectory.ResolveUser(body.RequiredString("user", ErrorCodes.InvalidUser));
            if (limits.TryEnter(clinic) is { } wait)
            {
                throw ApiProblem.RateLimited(wait);
            }

            return await replies.RunAsync(request, clinic, "enter", body, async key =>
            {
                // The visit's read counts against the confirmation limit: with storage down, its retries are most of it.
                var started = Stopwatch.GetTimestamp();
                var visit = await OpenVisitHereAsync(client, clinic, user, cancellationToken);
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
        });

    /// <summary>
    /// A patient on a visit may only queue where the visit expects them; there (after a no-show) the new ticket
    /// becomes the visit's step.
    /// </summary>
    /// <returns>The visit's id when the clinic is its current step; null without an open visit.</returns>
    private async Task<string?> OpenVisitHereAsync(DurableTaskClient client, string clinic, string user, CancellationToken cancellationToken)
    {
        if (await visits.FindAsync(client, user, cancellationToken) is not { IsOpen: true } visit)
        {
            return null;
        }

        if (visit.Current?.Clinic == clinic)
        {
            return visit.Id;
        }

        var expected = visit.Current is { } step
            ? $"Your visit expects you at clinic '{step.Clinic}'."
            : "Your visit is choosing your next clinic; ask again in a moment.";
        throw new ApiProblem(StatusCodes.Status409Conflict, ErrorCodes.VisitInProgress, $"'{user}' has a visit in progress. {expected}");
    }
}
