using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using QueueFunctions.Api;

namespace QueueFunctions.Push;

/// <summary>
/// The Web Push routes, all anonymous: the patient's page subscribes with the ticket's user id, as it follows the
/// ticket with it. The shared edge reads the request first (<see cref="ApiEndpoint"/>).
/// </summary>
public sealed class PushEndpoints(PublicKeyHandler publicKey, SubscribeHandler subscribe, UnsubscribeHandler unsubscribe)
{
    [Function("PushPublicKey")]
    public Task<IActionResult> PublicKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/push/public-key")] HttpRequest request) =>
        ApiEndpoint.GetAsync(publicKey.HandleAsync);

    [Function("PushSubscribe")]
    public Task<IActionResult> Subscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/push/subscriptions")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.PostAsync(request, body => subscribe.HandleAsync(body, cancellationToken), cancellationToken);

    [Function("PushUnsubscribe")]
    public Task<IActionResult> Unsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/push/subscriptions")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.DeleteAsync(request, body => unsubscribe.HandleAsync(body, cancellationToken), cancellationToken);
}
