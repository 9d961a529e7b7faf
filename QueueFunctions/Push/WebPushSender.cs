using System.Net;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Logging;
using QueueFunctions.Api;

namespace QueueFunctions.Push;

/// <summary>
/// Sends one encrypted push (RFC 8291 aes128gcm, VAPID RFC 8292) through Lib.Net.Http.WebPush, over the named
/// <see cref="HttpClientName"/> client of the app's <see cref="IHttpClientFactory"/>.
/// </summary>
public sealed class WebPushSender(IHttpClientFactory clients, VapidSigner signer, ILogger<WebPushSender> logger)
{
    public const string HttpClientName = "push";

    /// <summary>A turn alert is worthless an hour later; a browser offline longer gets nothing rather than a stale turn.</summary>
    public const int TimeToLiveSeconds = 3600;

    public async Task<PushDelivery> SendAsync(Subscription subscription, PushPayload payload, CancellationToken cancellationToken)
    {
        var target = new PushSubscription { Endpoint = subscription.Endpoint.AbsoluteUri };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var message = new PushMessage(JsonSerializer.Serialize(payload, ApiResult.Json))
        {
            TimeToLive = TimeToLiveSeconds,
            Urgency = PushMessageUrgency.High,
            // One notification per patient and alert kind waits at the service at most, the newest.
            Topic = payload.Type.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
        };

        var vapid = signer.Authentication;
        var client = new PushServiceClient(clients.CreateClient(HttpClientName)) { DefaultAuthentication = vapid, AutoRetryAfter = false };
        try
        {
            await client.RequestPushMessageDeliveryAsync(target, message, vapid, VapidAuthenticationScheme.Vapid, cancellationToken);
            return PushDelivery.Accepted;
        }
        catch (PushServiceClientException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return PushDelivery.Gone;
        }
        catch (Exception ex) when (ex is PushServiceClientException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The push service at {Host} did not take a {Type} push", subscription.Endpoint.Host, payload.Type);
            return PushDelivery.Failed;
        }
    }
}
