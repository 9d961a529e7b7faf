using System.Net.Http.Headers;

namespace QueueFunctions.Push;

/// <summary>
/// Signs the VAPID token for the endpoint's whole origin. Lib.Net.Http.WebPush leaves a non-default port out of the
/// token's <c>aud</c> claim, which RFC 8292 says is the origin, port included; a push service on such a port refuses
/// the token. The real services listen on 443, where nothing changes; a service on another port (a test's, a self-hosted
/// one) gets a token it accepts.
/// </summary>
public sealed class VapidAudienceHandler(VapidSigner signer) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsDefaultPort: false } endpoint && request.Headers.Authorization?.Scheme == "vapid")
        {
            var origin = endpoint.GetLeftPart(UriPartial.Authority);
            request.Headers.Authorization = new AuthenticationHeaderValue("vapid", signer.Authentication.GetVapidSchemeAuthenticationHeaderValueParameter(origin));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
