using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;

namespace QueueFunctions.Push;

/// <summary>The app's VAPID identity (RFC 8292), made once from <c>Push:*</c> when push is first used.</summary>
public sealed class VapidSigner(IOptions<PushOptions> options) : IDisposable
{
    private readonly Lazy<VapidAuthentication> vapid = new(() =>
        new VapidAuthentication(options.Value.PublicKey, options.Value.PrivateKey) { Subject = options.Value.Subject });

    public VapidAuthentication Authentication => vapid.Value;

    public void Dispose()
    {
        if (vapid.IsValueCreated)
        {
            vapid.Value.Dispose();
        }
    }
}
