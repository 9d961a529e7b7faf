using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing;

/// <summary>POST /api/v1/queue/reset (admin key): start the clinic's service day over from number 1.</summary>
public sealed class ResetFunction(ClinicDirectory clinics, ClinicQueueClient queue, IdempotentReplies replies)
{
    [Function("QueueReset")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/v1/queue/reset")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiGuard.RunAsync(async () =>
        {
            var body = await JsonBody.ReadAsync(request, cancellationToken);
            var clinic = clinics.Resolve(body.RequiredString("clinic", ErrorCodes.InvalidClinic));

            return await replies.RunAsync(request, clinic, "reset", body, async key =>
            {
                var (receipt, _) = await queue.ResetAsync(client, clinic, cancellationToken, key);
                return ApiResult.Ok(new ResetResponse(clinic, queue.Rules.ServiceDayOf(receipt.At)));
            }, cancellationToken);
        });
}
