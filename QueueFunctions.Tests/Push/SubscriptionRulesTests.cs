using System.Buffers.Text;
using QueueFunctions.Configuration;
using QueueFunctions.Push;
using QueueFunctions.Tests.Support.Push;

namespace QueueFunctions.Tests.Push;

/// <summary>What a subscription must be before the app keeps it and later posts to its endpoint.</summary>
public sealed class SubscriptionRulesTests : IDisposable
{
    private static readonly PushHosts RealServices = PushHosts.Parse(PushOptions.DefaultAllowedHosts);
    private readonly BrowserPushKeys browser = new();

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/abc")]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/abc")]
    [InlineData("https://wns2-db5p.notify.windows.com/w/?token=abc")]
    [InlineData("https://web.push.apple.com/QGx")]
    [InlineData("https://FCM.googleapis.com:443/fcm/send/abc")]
    public void A_browsers_subscription_at_a_real_push_service_is_kept(string endpoint) =>
        Assert.Null(SubscriptionRules.Problem(endpoint, browser.P256dh, browser.Auth, RealServices));

    [Theory]
    [InlineData("http://fcm.googleapis.com/fcm/send/abc", "https")]
    [InlineData("ftp://fcm.googleapis.com/x", "https")]
    [InlineData("https://user:pw@fcm.googleapis.com/x", "https")]
    [InlineData("https://127.0.0.1/push", "known push service")]
    [InlineData("https://169.254.169.254/latest/meta-data", "known push service")]
    [InlineData("https://localhost:8080/x", "known push service")]
    [InlineData("https://evilfcm.googleapis.com/x", "known push service")]
    [InlineData("https://fcm.googleapis.com.evil.example/x", "known push service")]
    [InlineData("https://push.apple.com/x", "known push service")]
    [InlineData("https://evilpush.apple.com/x", "known push service")]
    [InlineData("https://notify.windows.com.evil.example/x", "known push service")]
    [InlineData("/relative/path", "https")]
    [InlineData("not a url", "not a URL")]
    public void An_endpoint_that_is_not_https_at_an_allowed_push_service_is_refused(string endpoint, string reason) =>
        Assert.Contains(reason, SubscriptionRules.Problem(endpoint, browser.P256dh, browser.Auth, RealServices));

    [Fact]
    public void A_very_long_endpoint_is_refused() =>
        Assert.NotNull(SubscriptionRules.Problem("https://fcm.googleapis.com/" + new string('a', 1100), browser.P256dh, browser.Auth, RealServices));

    [Fact]
    public void Keys_of_the_wrong_size_or_shape_are_refused()
    {
        const string endpoint = "https://fcm.googleapis.com/fcm/send/abc";
        var compressed = Base64Url.EncodeToString([0x02, .. new byte[32]]);
        var notUncompressed = Base64Url.EncodeToString([0x05, .. new byte[64]]);

        Assert.Contains("p256dh", SubscriptionRules.Problem(endpoint, compressed, browser.Auth, RealServices));
        Assert.Contains("p256dh", SubscriptionRules.Problem(endpoint, notUncompressed, browser.Auth, RealServices));
        Assert.Contains("p256dh", SubscriptionRules.Problem(endpoint, browser.Auth, browser.Auth, RealServices));
        Assert.Contains("p256dh", SubscriptionRules.Problem(endpoint, "not base64url!", browser.Auth, RealServices));
        Assert.Contains("auth", SubscriptionRules.Problem(endpoint, browser.P256dh, Base64Url.EncodeToString(new byte[15]), RealServices));
        Assert.Contains("auth", SubscriptionRules.Problem(endpoint, browser.P256dh, Base64Url.EncodeToString(new byte[17]), RealServices));
        Assert.Null(SubscriptionRules.Problem(endpoint, browser.P256dh + "=", browser.Auth + "==", RealServices));
    }

    [Fact]
    public void A_wildcard_allows_sub_domains_only_and_a_plain_entry_only_itself()
    {
        var hosts = PushHosts.Parse(" 127.0.0.1 , *.push.example,LOCALHOST");

        Assert.True(hosts.Allows("127.0.0.1"));
        Assert.True(hosts.Allows("localhost"));
        Assert.True(hosts.Allows("eu.push.example"));
        Assert.True(hosts.Allows("a.b.push.example"));
        Assert.False(hosts.Allows("push.example"));
        Assert.False(hosts.Allows("evilpush.example"));
        Assert.False(hosts.Allows("127.0.0.2"));
        Assert.False(hosts.Allows("localhost.evil.example"));
    }

    public void Dispose() => browser.Dispose();
}
