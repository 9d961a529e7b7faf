using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Push;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>
/// Web Push through the Azure Functions host: the clinic's change goes to <c>push-events</c>, the host's queue trigger
/// runs the isolated worker's function, and the worker posts the encrypted, VAPID-signed push to the test's push
/// service over HTTPS. The worker is another process, so it trusts the test's certificate the way .NET on Linux is
/// told to: <c>SSL_CERT_FILE</c> names a bundle of the system's roots plus that certificate.
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class RealHostPushTests(RealHostFixture fixture, ITestOutputHelper output)
{
    private const string SystemRoots = "/etc/ssl/certs/ca-certificates.crt";

    [RealHostFact]
    public async Task A_patients_turn_is_pushed_through_the_functions_host()
    {
        var vapid = VapidKeyPair.New();
        await using var receiver = await PushReceiver.StartAsync(vapid.PublicKey);
        var work = Directory.CreateTempSubdirectory("realhost-push-").FullName;
        var bundle = Path.Combine(work, "ca-bundle.pem");
        await File.WriteAllTextAsync(bundle, (File.Exists(SystemRoots) ? await File.ReadAllTextAsync(SystemRoots) : string.Empty) + "\n" + receiver.CertificatePem);

        // Storage of its own: every host on the tier's Azurite also runs SendPushAlerts, and without keys it would take
        // and drop this test's push-events.
        await using var storage = await AzuriteProcess.StartAsync(AzuriteProcess.FindRepositoryRoot()!, Path.Combine(work, "azurite"));
        var settings = RealHostFixture.Settings(new Dictionary<string, string>(vapid.Settings().Select(s => KeyValuePair.Create(s.Key, s.Value!)))
        {
            ["SSL_CERT_FILE"] = bundle,
        });
        await using var host = await FunctionsHostInstance.StartAsync(fixture.AppDirectory, fixture.HostHome, storage.ConnectionString, "realhost-push", settings, output.WriteLine);
        using var http = host.NewHttp();
        var phone = receiver.NewSubscription();

        var key = await http.GetReplyAsync("api/v1/push/public-key");
        Assert.Equal(vapid.PublicKey, key.Body.GetProperty("publicKey").GetString());
        var subscribed = await http.PostReplyAsync("api/v1/push/subscriptions", new
        {
            user = "RH_PUSH",
            lang = "en",
            subscription = new { endpoint = phone.Endpoint, keys = new { p256dh = phone.Keys.P256dh, auth = phone.Keys.Auth } },
        });
        Assert.Equal(201, subscribed.Status);
        Assert.Equal(200, (await http.EnterAsync("lab", "RH_AHEAD")).Status);
        Assert.Equal(200, (await http.EnterAsync("lab", "RH_PUSH")).Status);
        await Eventually.TrueAsync(() => receiver.Has(phone.Endpoint, "NEAR_TURN"), TimeSpan.FromSeconds(60), "NEAR_TURN was not pushed through the host");
        Assert.Equal(200, (await http.PostReplyAsync("api/v1/queue/call", new { clinic = "lab" }, FunctionsHostInstance.FunctionKey)).Status);

        await Eventually.TrueAsync(() => receiver.Has(phone.Endpoint, "YOUR_TURN"), TimeSpan.FromSeconds(60), "YOUR_TURN was not pushed through the host");
        Assert.Equal("It is your turn! Please go in.", receiver.For(phone.Endpoint).Single(p => p.Type == "YOUR_TURN").Payload.GetProperty("body").GetString());
        Assert.Equal(1, receiver.For(phone.Endpoint).Count(p => p.Type == "NEAR_TURN"));
        Directory.Delete(work, recursive: true);
    }
}
