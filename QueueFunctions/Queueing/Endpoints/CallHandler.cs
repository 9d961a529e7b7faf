using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>
/// POST /api/v1/queue/call (staff key): the patient being served did not come; move the queue on. With <c>number</c>,
/// only that ticket is called, so a repeated call never skips a second patient.
/// </summary>
public sealed class CallHandler(ClinicDirectory clinics, ClinicQueueClient queue, IdempotentReplies replies)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, JsonBody body, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinic = clinics.ClinicOf(body);
        var number = body.OptionalPositiveInt("number", ErrorCodes.InvalidNumber);

        return await replies.RunAsync(request, clinic, "call", body, async key =>
        {
            var (receipt, _) = await queue.CallAsync(client, clinic, number, cancellationToken, key);
            return receipt.Outcome switch
            {
                ReceiptOutcome.Called => ApiResult.Ok(new CallResponse(clinic, receipt.Current, receipt.Number, receipt.Waiting)),
                ReceiptOutcome.QueueEmpty => ApiResult.Error(
                    StatusCodes.Status404NotFound, ErrorCodes.QueueEmpty, $"Nobody is waiting at clinic '{clinic}'."),
                ReceiptOutcome.NotCurrent => new ApiResult(StatusCodes.Status409Conflict, new NotCurrentResponse(
                    $"Ticket {receipt.Number} is no longer the one being served at clinic '{clinic}'; {receipt.Current} is.",
                    ErrorCodes.NotCurrent,
                    receipt.Current)),
                _ => throw new InvalidOperationException($"A call request came back as {receipt.Outcome}."),
            };
        }, cancellationToken);
    }
}
