using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Domain;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Push;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Push;

namespace QueueFunctions.Tests.Integration.Push;

/// <summary>
/// Web Push on the real engine and Azurite, to a push service on loopback inside the test (HTTPS with the test's own
/// certificate) that checks the VAPID signature and decrypts every push as the patient's browser would.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PushEngineTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_patient_is_pushed_near_turn_then_your_turn_once_each_in_the_language_of_each_subscription()
    {
        var vapid = VapidKeyPair.New();
        await using var receiver = await PushReceiver.StartAsync(vapid.PublicKey);
        await using var host = await StartAsync(vapid, receiver);
        using var http = host.NewHttp();
        var english = receiver.NewSubscription();
        var arabic = receiver.NewSubscription();
        Assert.Equal(201, (await SubscribeAsync(http, "PATIENT_C", english, "en")).Status);
        Assert.Equal(201, (await SubscribeAsync(http, "PATIENT_C", arabic, null)).Status);

        // C is third: NEAR_TURN (2 ahead) as the ticket is issued, still NEAR_TURN after the first call, YOUR_TURN after the second.
        foreach (var user in new[] { "PATIENT_A", "PATIENT_B", "PATIENT_C" })
        {
            Assert.Equal(200, (await http.EnterAsync("lab", user)).Status);
        }

        await Eventually.TrueAsync(() => receiver.Has(english.Endpoint, "NEAR_TURN") && receiver.Has(arabic.Endpoint, "NEAR_TURN"), Within, "C's NEAR_TURN push never came");

        // One ahead now: still NEAR_TURN, which was sent already. Every change handled before the next call, so the
        // repeat is judged on its own (a change read late is judged by the clinic's state then).
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic = "lab" }, staff: true)).Status);
        await Eventually.TrueAsync(async () => (await host.StoredStateAsync("lab"))! is { Current: 2, Outbox.IsEmpty: true }, Within, "the first call was not sent on");
        await PushEventsDrainedAsync(host);
        Assert.Single(receiver.For(english.Endpoint));

        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic = "lab" }, staff: true)).Status);
        await Eventually.TrueAsync(() => receiver.Has(english.Endpoint, "YOUR_TURN") && receiver.Has(arabic.Endpoint, "YOUR_TURN"), Within, "C's YOUR_TURN push never came");
        await PushEventsDrainedAsync(host);

        // The last change delivered again, as at-least-once delivery may: nothing more is sent.
        var state = (await host.StoredStateAsync("lab"))!;
        var repeat = new QueueEvent($"lab:{state.Version}", "lab", state.ServiceDay, state.Version, QueueEvent.TicketNoShow, 2, "PATIENT_B", DateTimeOffset.UtcNow, state.Round);
        await host.Services.GetRequiredService<PushEventsQueue>().SendAsync([repeat, repeat], CancellationToken.None);
        await PushEventsDrainedAsync(host);

        Assert.Empty(receiver.Refused);
        Assert.Equal(["NEAR_TURN", "YOUR_TURN"], receiver.For(english.Endpoint).Select(p => p.Type));
        Assert.Equal(["NEAR_TURN", "YOUR_TURN"], receiver.For(arabic.Endpoint).Select(p => p.Type));
        var turn = receiver.For(english.Endpoint)[1].Payload;
        Assert.Equal(
            """{"type":"YOUR_TURN","title":"My turn — Laboratory 3","body":"It is your turn! Please go in.","url":"/ticket?clinic=lab\u0026user=PATIENT_C","clinic":"lab","number":3,"lang":"en"}""",
            turn.GetRawText());
        Assert.Equal("حان دورك! تفضل إلى العيادة.", receiver.For(arabic.Endpoint)[1].Payload.GetProperty("body").GetString());
        Assert.Equal("ar", receiver.For(arabic.Endpoint)[1].Payload.GetProperty("lang").GetString());
        Assert.DoesNotContain(receiver.Received, p => p.Payload.GetProperty("url").GetString()!.Contains("PATIENT_A", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscription_the_push_service_answers_410_is_removed()
    {
        var vapid = VapidKeyPair.New();
        await using var receiver = await PushReceiver.StartAsync(vapid.PublicKey);
        await using var host = await StartAsync(vapid, receiver);
        using var http = host.NewHttp();
        var gone = receiver.NewSubscription(status: 410);
        Assert.Equal(201, (await SubscribeAsync(http, "GONE_1", gone, "en")).Status);
        var table = host.Services.GetRequiredService<SubscriptionTable>();
        var day = host.Services.GetRequiredService<QueueRules>().ServiceDayOf(DateTimeOffset.UtcNow);
        Assert.Single(await table.ForUserAsync(day, "GONE_1", CancellationToken.None));

        Assert.Equal(200, (await http.EnterAsync("xray", "GONE_1")).Status);

        await Eventually.TrueAsync(() => receiver.Has(gone.Endpoint, "YOUR_TURN"), Within, "the push never came");
        await Eventually.TrueAsync(async () => (await table.ForUserAsync(day, "GONE_1", CancellationToken.None)).Count == 0, Within, "the ended subscription was kept");
    }

    [Fact]
    public async Task A_visit_step_done_is_pushed_with_the_next_clinic_and_number()
    {
        var vapid = VapidKeyPair.New();
        await using var receiver = await PushReceiver.StartAsync(vapid.PublicKey);
        await using var host = await StartAsync(vapid, receiver);
        using var http = host.NewHttp();
        var phone = receiver.NewSubscription();
        Assert.Equal(201, (await SubscribeAsync(http, "VISITOR_1", phone, "en")).Status);
        Assert.Equal(200, (await http.StartVisitAsync("VISITOR_1", "cooks")).Status);
        var pins = await http.PinsAsync();

        var (status, done) = await http.DoneAsync("lab", "VISITOR_1", pins["lab"]);
        Assert.Equal(200, status);
        var next = done.GetProperty("next_clinic").GetString()!;
        var number = done.GetProperty("next_number").GetInt32();

        await Eventually.TrueAsync(() => receiver.Has(phone.Endpoint, "STEP_DONE_NEXT"), Within, "no STEP_DONE_NEXT push");
        await Eventually.TrueAsync(async () => (await host.StoredStateAsync(next))!.Outbox.IsEmpty, Within, "the next clinic's ticket was not sent on");
        await PushEventsDrainedAsync(host);
        var step = Assert.Single(receiver.For(phone.Endpoint), p => p.Type == "STEP_DONE_NEXT").Payload;
        Assert.Equal(("lab", next, number), (step.GetProperty("clinic").GetString(), step.GetProperty("next_clinic").GetString(), step.GetProperty("next_number").GetInt32()));
        Assert.Equal($"This step is done. Go to {ClinicNames.EnglishOf(next)} — {number}", step.GetProperty("body").GetString());
        Assert.Empty(receiver.Refused);
    }

    private Task<LocalQueueHost> StartAsync(VapidKeyPair vapid, PushReceiver receiver)
    {
        var taskHub = AzuriteFixture.NewTaskHubName();
        var settings = vapid.Settings();
        settings["Push:TableName"] = "push" + taskHub;
        return azurite.StartQueueAppAsync(taskHub, settings: settings, services: receiver.TrustIn);
    }

    private static Task<(int Status, JsonElement Body)> SubscribeAsync(HttpClient http, string user, (string Endpoint, BrowserPushKeys Keys) subscription, string? lang) =>
        http.PostAsync("api/v1/push/subscriptions", new Dictionary<string, object?>
        {
            ["user"] = user,
            ["lang"] = lang,
            ["subscription"] = new { endpoint = subscription.Endpoint, keys = new { p256dh = subscription.Keys.P256dh, auth = subscription.Keys.Auth } },
        });

    /// <summary>
    /// Every copied change taken and its function finished (a message leaves the queue only when its run succeeded). The
    /// caller first waits for the clinic's outbox to empty, so the changes it means are in the queue by then.
    /// </summary>
    private static Task PushEventsDrainedAsync(LocalQueueHost host) =>
        Eventually.TrueAsync(
            async () => (await host.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(PushEventsQueue.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            Within,
            "push-events was not drained");
}
