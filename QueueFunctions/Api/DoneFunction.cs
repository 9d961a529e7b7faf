using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api.Contracts;
using QueueFunctions.Entities;
using QueueFunctions.Queueing;

namespace QueueFunctions.Api;

/// <summary>POST /api/v1/queue/done: the patient's device confirms the examination with the clinic's PIN of the day.</summary>
public sealed class DoneFunction(ClinicDirectory clinics, ClinicQueueClient queue)
{
    [Function("QueueDone")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/queue/done")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiGuard.RunAsync(async () =>
        {
            var body = await JsonBody.ReadAsync(request, cancellationToken);
            var clinic = clinics.Resolve(body.RequiredString("clinic", ErrorCodes.InvalidClinic));
            var user = ClinicDirectory.ResolveUser(body.RequiredString("user", ErrorCodes.InvalidUser));
            var pin = body.RequiredString("pin", ErrorCodes.InvalidPinFormat).Trim();
            if (!Identifiers.IsPinShaped(pin, queue.Rules.PinDigits))
            {
                throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPinFormat, $"The PIN is {queue.Rules.PinDigits} digits.");
            }

            var (receipt, state) = await queue.DoneAsync(client, clinic, user, pin, cancellationToken);
            return receipt.Outcome switch
            {
                ReceiptOutcome.Done => ApiResult.Ok(new DoneResponse(
                    clinic, state.LatestTicketOf(user)?.User ?? user, receipt.Number!.Value, receipt.Current)),
                ReceiptOutcome.NotInQueue => ApiResult.Error(
                    StatusCodes.Status404NotFound, ErrorCodes.NotInQueue, $"'{user}' has no ticket at clinic '{clinic}' today."),
                ReceiptOutcome.InvalidPin => ApiResult.Error(
                    StatusCodes.Status403Forbidden, ErrorCodes.InvalidPin, "The PIN is not right; ask the clinic's staff."),
                ReceiptOutcome.PinLocked => ApiResult.Error(
                    StatusCodes.Status429TooManyRequests, ErrorCodes.PinLocked, "Too many wrong PINs today; the clinic's staff will finish your visit."),
                _ => throw new InvalidOperationException($"A done request came back as {receipt.Outcome}."),
            };
        });
}
