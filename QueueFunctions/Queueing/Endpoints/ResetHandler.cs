using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>POST /api/v1/queue/reset (admin key): start the clinic's service day over from number 1.</summary>
public sealed class ResetHandler(ClinicDirectory clinics, ClinicQueueClient queue, IdempotentReplies replies)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, JsonBody body, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinic = clinics.ClinicOf(body);

        return await replies.RunAsync(request, clinic, "reset", body, async key =>
        {
            var (receipt, _) = await queue.ResetAsync(client, clinic, cancellationToken, key);
            return ApiResult.Ok(new ResetResponse(clinic, queue.Rules.ServiceDayOf(receipt.At)));
        }, cancellationToken);
    }
}
