using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>POST /api/v1/queue/done: the patient's device confirms the examination with the clinic's PIN of the day.</summary>
public sealed class DoneHandler(ClinicDirectory clinics, ClinicQueueClient queue, IVisitSteps visits, FloodLimiters limits, IdempotentReplies replies)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, JsonBody body, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinic = clinics.ClinicOf(body);
        var user = ClinicDirectory.UserOf(body);
        var pin = body.RequiredString("pin", ErrorCodes.InvalidPinFormat).Trim();
        if (!Identifiers.IsPinShaped(pin, queue.Rules.PinDigits))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPinFormat, $"The PIN is {queue.Rules.PinDigits} digits.");
        }

        if (limits.TryDone(clinic) is { } wait)
        {
            throw ApiProblem.RateLimited(wait);
        }

        return await replies.RunAsync(request, clinic, "done", body, async key =>
        {
            var (receipt, state) = await queue.DoneAsync(client, clinic, user, pin, cancellationToken, key);
            return receipt.Outcome switch
            {
                ReceiptOutcome.Done => ApiResult.Ok(await DoneAsync(client, clinic, user, receipt, state, cancellationToken)),
                ReceiptOutcome.NotInQueue => ApiResult.Error(
                    StatusCodes.Status404NotFound, ErrorCodes.NotInQueue, $"'{user}' has no ticket at clinic '{clinic}' today."),
                ReceiptOutcome.InvalidPin => ApiResult.Error(
                    StatusCodes.Status403Forbidden, ErrorCodes.InvalidPin, "The PIN is not right; ask the clinic's staff."),
                ReceiptOutcome.PinLocked => ApiResult.Error(
                    StatusCodes.Status429TooManyRequests, ErrorCodes.PinLocked, "Too many wrong PINs today; the clinic's staff will finish your visit."),
                _ => throw new InvalidOperationException($"A done request came back as {receipt.Outcome}."),
            };
        }, cancellationToken);
    }

    /// <summary>For a visit's ticket, the reply also says where the patient goes next.</summary>
    private async Task<DoneResponse> DoneAsync(
        DurableTaskClient client, string clinic, string user, Receipt receipt, ClinicQueueState state, CancellationToken cancellationToken)
    {
        var ticket = state.LatestTicketOf(user);
        var done = new DoneResponse(clinic, ticket is not null && ticket.Number == receipt.Number ? ticket.User : user, receipt.Number!.Value, receipt.Current);
        if (receipt.Visit is not { } id)
        {
            return done;
        }

        var after = await visits.AfterDoneAsync(client, id, clinic, cancellationToken);
        return after.NextClinic is { } next
            ? done with { NextClinic = next, NextNumber = after.NextNumber }
            : after.VisitComplete ? done with { VisitComplete = true } : done;
    }
}
