using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.FloodControl;
using QueueFunctions.Push.Contracts;

namespace QueueFunctions.Push;

/// <summary>POST /api/v1/push/subscriptions: keeps a browser's subscription for the patient until the service day ends.</summary>
public sealed class SubscribeHandler(PushGate gate, SubscriptionTable table, QueueRules rules, TimeProvider time, FloodLimiters limits)
{
    public async Task<IActionResult> HandleAsync(JsonBody body, CancellationToken cancellationToken)
    {
        var options = gate.Require();
        var user = ClinicDirectory.UserOf(body);
        var subscription = body.RequiredObject("subscription", ErrorCodes.InvalidSubscription);
        var endpoint = subscription.RequiredString("endpoint", ErrorCodes.InvalidSubscription);
        var keys = subscription.RequiredObject("keys", ErrorCodes.InvalidSubscription);
        var p256dh = keys.RequiredString("p256dh", ErrorCodes.InvalidSubscription).TrimEnd('=');
        var auth = keys.RequiredString("auth", ErrorCodes.InvalidSubscription).TrimEnd('=');
        var lang = body.OptionalString("lang", ErrorCodes.InvalidLanguage) ?? PushLanguage.Arabic;
        if (!PushLanguage.IsKnown(lang))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidLanguage, "The field 'lang' must be \"ar\" or \"en\".");
        }

        if (SubscriptionRules.Problem(endpoint, p256dh, auth, PushHosts.Parse(options.AllowedHosts)) is { } problem)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidSubscription, problem);
        }

        if (limits.TrySubscribe() is { } wait)
        {
            throw ApiProblem.RateLimited(wait);
        }

        var day = rules.ServiceDayOf(time.GetUtcNow());
        try
        {
            await table.SaveAsync(day, new Subscription(user, new Uri(endpoint), p256dh, auth, lang), cancellationToken);
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            throw new BackendUnavailableException("Could not keep the subscription.", ex);
        }

        return new ApiResult(StatusCodes.Status201Created, new SubscribedResponse(user, lang, day));
    }
}
