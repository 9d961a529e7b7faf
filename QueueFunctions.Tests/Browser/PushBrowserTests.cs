using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QueueFunctions.Domain;
using QueueFunctions.Push;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Push;
using static Microsoft.Playwright.Assertions;

namespace QueueFunctions.Tests.Browser;

/// <summary>
/// The patient page's Web Push in Debian's Chromium: it registers its service worker for /ticket, subscribes with the
/// app's key on the patient's tap and hands the subscription to the app, which then pushes the patient's turn. Headless
/// Chromium cannot reach a real push service, so <c>PushManager.subscribe</c> is replaced (before the page's scripts
/// run) by one that records the key it is given and returns a subscription at the test's own push service.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PushBrowserTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_patient_page_subscribes_with_the_apps_key_and_the_patient_then_hears_their_turn()
    {
        var vapid = VapidKeyPair.New();
        await using var receiver = await PushReceiver.StartAsync(vapid.PublicKey);
        var taskHub = AzuriteFixture.NewTaskHubName();
        var settings = vapid.Settings();
        settings["Push:TableName"] = "push" + taskHub;
        await using var host = await azurite.StartQueueAppAsync(taskHub, settings: settings, services: receiver.TrustIn);
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        Assert.Equal(200, (await http.EnterAsync("lab", "AHEAD1")).Status);
        Assert.Equal(200, (await http.EnterAsync("lab", "PUSHER")).Status);
        var phone = receiver.NewSubscription();

        var page = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/ticket?clinic=lab&user=PUSHER", "en", Screens.Phone, async context =>
        {
            await context.GrantPermissionsAsync(["notifications"], new() { Origin = host.BaseAddress.GetLeftPart(UriPartial.Authority) });
            await context.AddInitScriptAsync(StubbedPushManager(phone.Endpoint, phone.Keys));
        });
        await Expect(page.Locator("#push")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });
        await Expect(page.Locator("#push")).ToHaveTextAsync("Notify me when the page is closed");
        await Expect(page.Locator("#alert")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("near-turn"), new() { Timeout = Ms(Wait) });
        var axe = await page.RunAxe();
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id));

        await Screens.ShootAsync(page, "ticket-push-offer-en-phone");

        await page.ClickAsync("#push");

        await Expect(page.Locator("#push-message")).ToHaveTextAsync("You will be alerted even with the page closed or the phone locked.", new() { Timeout = Ms(Wait) });
        Assert.Equal(vapid.PublicKey, await page.EvaluateAsync<string>("window.__applicationServerKey"));
        Assert.True(await page.EvaluateAsync<bool>("window.__userVisibleOnly"));
        Assert.Equal(
            ["/ticket", "/ticket-sw.js"],
            await page.EvaluateAsync<string[]>("navigator.serviceWorker.getRegistration('/ticket').then(r => [new URL(r.scope).pathname, new URL((r.active || r.installing || r.waiting).scriptURL).pathname])"));
        var day = host.Services.GetRequiredService<QueueRules>().ServiceDayOf(DateTimeOffset.UtcNow);
        var kept = Assert.Single(await host.Services.GetRequiredService<SubscriptionTable>().ForUserAsync(day, "PUSHER", CancellationToken.None));
        Assert.Equal((phone.Endpoint, phone.Keys.P256dh, "en"), (kept.Endpoint.AbsoluteUri, kept.P256dh, kept.Lang));
        await Screens.ShootAsync(page, "ticket-push-on-en-phone");

        // Switching the page to Arabic moves the subscription with it, so the pushes follow the page's language.
        await page.ClickAsync("#lang");
        await Expect(page.Locator("#push-message")).ToHaveTextAsync("ستصلك التنبيهات ولو أُغلقت الصفحة أو قُفل الهاتف.", new() { Timeout = Ms(Wait) });
        await Eventually.TrueAsync(
            async () => (await host.Services.GetRequiredService<SubscriptionTable>().ForUserAsync(day, "PUSHER", CancellationToken.None)).Single().Lang == "ar",
            Wait, "the subscription did not follow the page into Arabic");
        await Screens.ShootAsync(page, "ticket-push-on-ar-phone");

        // Staff call the patient ahead: the patient's turn is pushed to the subscription the page made.
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic = "lab" }, staff: true)).Status);
        await Eventually.TrueAsync(() => receiver.Has(phone.Endpoint, "YOUR_TURN"), Wait, "the patient's turn was not pushed");
        Assert.Equal("حان دورك! تفضل إلى العيادة.", receiver.For(phone.Endpoint).Single(p => p.Type == "YOUR_TURN").Payload.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Without_push_on_the_server_the_page_offers_no_button()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        Assert.Equal(200, (await http.EnterAsync("lab", "NOPUSH")).Status);

        var page = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/ticket?clinic=lab&user=NOPUSH", "ar", Screens.Phone);
        await Expect(page.Locator("#alert")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });

        await Expect(page.Locator("#push")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("navigator.serviceWorker.getRegistration('/ticket').then(r => r ? r.scope : null)"));
    }

    /// <summary>Records the key and the options the page subscribes with, and answers with the test's subscription.</summary>
    private static string StubbedPushManager(string endpoint, BrowserPushKeys keys) => $$"""
        PushManager.prototype.getSubscription = async function () { return null; };
        PushManager.prototype.subscribe = async function (options) {
          const bytes = new Uint8Array(options.applicationServerKey);
          window.__applicationServerKey = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
          window.__userVisibleOnly = options.userVisibleOnly;
          const json = { endpoint: "{{endpoint}}", expirationTime: null, keys: { p256dh: "{{keys.P256dh}}", auth: "{{keys.Auth}}" } };
          return { endpoint: json.endpoint, options, toJSON: () => json, unsubscribe: async () => true };
        };
        """;

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;
}
