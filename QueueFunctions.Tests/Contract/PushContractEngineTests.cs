using System.Text.Json;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Push;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Contract;

/// <summary>The push endpoints on the real app: each success and refusal, every reply held to docs/openapi.json.</summary>
[Collection(EngineCollection.Name)]
public sealed class PushContractEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string PublicKey = "/api/v1/push/public-key";
    private const string Subscriptions = "/api/v1/push/subscriptions";

    [Fact]
    public async Task Push_replies_are_the_documented_ones()
    {
        var vapid = VapidKeyPair.New();
        var settings = vapid.Settings();
        settings["Push:AllowedHosts"] = "push.example,*.notify.example";
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: settings);
        using var http = host.NewHttp();
        var api = new ContractClient(http, ReplyValidator.ForContract);
        using var browser = new BrowserPushKeys();
        var keys = new { p256dh = browser.P256dh, auth = browser.Auth };

        Assert.Equal(vapid.PublicKey, (await api.GetAsync(200, PublicKey)).Json.GetProperty("publicKey").GetString());

        var endpoint = "https://push.example/send/abc";
        var kept = await api.PostAsync(201, Subscriptions, Body(new { user = "P1", subscription = new { endpoint, keys } }));
        Assert.Equal("ar", kept.Json.GetProperty("lang").GetString());
        await api.PostAsync(201, Subscriptions, Body(new { user = "P2", lang = "en", subscription = new { endpoint = "https://eu.notify.example/w/1", keys } }));

        await api.PostAsync(400, Subscriptions, Body(new { user = "P1", subscription = new { endpoint = "http://push.example/send/abc", keys } }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "P1", subscription = new { endpoint = "https://169.254.169.254/latest", keys } }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "P1", subscription = new { endpoint = "https://notify.example/w/1", keys } }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "P1", subscription = new { endpoint, keys = new { p256dh = browser.Auth, auth = browser.Auth } } }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "P1", subscription = new { endpoint, keys = new { p256dh = browser.P256dh, auth = browser.P256dh } } }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "P1", lang = "fr", subscription = new { endpoint, keys } }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "P1", subscription = "https://push.example/send/abc" }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "P1" }));
        await api.PostAsync(400, Subscriptions, Body(new { user = "\n", subscription = new { endpoint, keys } }));
        await api.PostAsync(400, Subscriptions, """{"user":"P1","subscription":""");

        Assert.True((await api.DeleteAsync(200, Subscriptions, Body(new { endpoint }))).Json.GetProperty("removed").GetBoolean());
        Assert.False((await api.DeleteAsync(200, Subscriptions, Body(new { endpoint }))).Json.GetProperty("removed").GetBoolean());
        await api.DeleteAsync(400, Subscriptions, Body(new { endpoint = "not a url" }));
        await api.DeleteAsync(400, Subscriptions, Body(new { }));

        output.WriteLine(string.Join('\n', api.Seen.Order(StringComparer.Ordinal)));
        Assert.True(api.Problems.Count == 0, $"{api.Problems.Count} replies depart from docs/openapi.json:\n{string.Join('\n', api.Problems)}");
    }

    [Fact]
    public async Task Without_keys_the_push_routes_say_push_is_not_configured()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var api = new ContractClient(http, ReplyValidator.ForContract);

        Assert.Equal("PUSH_NOT_CONFIGURED", (await api.GetAsync(404, PublicKey)).Json.GetProperty("code").GetString());
        await api.PostAsync(404, Subscriptions, Body(new { user = "P1", subscription = new { endpoint = "https://fcm.googleapis.com/x", keys = new { p256dh = "x", auth = "y" } } }));
        await api.DeleteAsync(404, Subscriptions, Body(new { endpoint = "https://fcm.googleapis.com/x" }));

        Assert.True(api.Problems.Count == 0, string.Join('\n', api.Problems));
    }

    private static string Body(object value) => JsonSerializer.Serialize(value);
}
