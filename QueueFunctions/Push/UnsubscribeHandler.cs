using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.Push.Contracts;

namespace QueueFunctions.Push;

/// <summary>DELETE /api/v1/push/subscriptions: the page's button turned off, or the browser's subscription replaced.</summary>
public sealed class UnsubscribeHandler(PushGate gate, SubscriptionTable table, QueueRules rules, TimeProvider time)
{
    public async Task<IActionResult> HandleAsync(JsonBody body, CancellationToken cancellationToken)
    {
        gate.Require();
        var endpoint = body.RequiredString("endpoint", ErrorCodes.InvalidSubscription);
        if (endpoint.Length > SubscriptionRules.MaxEndpointLength || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidSubscription, "The endpoint is not a URL.");
        }

        try
        {
            return ApiResult.Ok(new UnsubscribedResponse(await table.DeleteAsync(rules.ServiceDayOf(time.GetUtcNow()), uri, cancellationToken)));
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            throw new BackendUnavailableException("Could not remove the subscription.", ex);
        }
    }
}
