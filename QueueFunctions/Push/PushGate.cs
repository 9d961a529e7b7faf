using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;

namespace QueueFunctions.Push;

/// <summary>Push needs the app's VAPID keys: without them its routes say so, and the page leaves its button out.</summary>
public sealed class PushGate(IOptions<PushOptions> options)
{
    public PushOptions Options => options.Value;

    /// <exception cref="ApiProblem">404 PUSH_NOT_CONFIGURED.</exception>
    public PushOptions Require() => options.Value.IsConfigured
        ? options.Value
        : throw new ApiProblem(StatusCodes.Status404NotFound, ErrorCodes.PushNotConfigured, "Push notifications are not set up on this server.");
}
