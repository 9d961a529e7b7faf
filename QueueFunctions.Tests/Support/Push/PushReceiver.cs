using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.Push;

namespace QueueFunctions.Tests.Support.Push;

/// <summary>
/// A push service on loopback, inside the test: HTTPS with a certificate the test makes, so the app posts to it as to
/// a real one. It checks each request as a push service does (the VAPID JWT signed by the app's key, for this origin,
/// not expired) and decrypts the body with the subscription's keys, keeping what the patient would see.
/// </summary>
public sealed class PushReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string vapidPublicKey;
    private readonly ConcurrentDictionary<string, (BrowserPushKeys Keys, int Status)> subscriptions = new();
    private readonly ConcurrentQueue<ReceivedPush> received = new();
    private readonly ConcurrentQueue<string> refused = new();

    private PushReceiver(WebApplication app, X509Certificate2 certificate, string vapidPublicKey)
    {
        this.app = app;
        Certificate = certificate;
        this.vapidPublicKey = vapidPublicKey;
    }

    public X509Certificate2 Certificate { get; }

    public Uri Origin { get; private set; } = null!;

    public IReadOnlyList<ReceivedPush> Received => [.. received];

    /// <summary>Requests refused for a wrong VAPID header or body, with why: a test expects none.</summary>
    public IReadOnlyList<string> Refused => [.. refused];

    public static async Task<PushReceiver> StartAsync(string vapidPublicKey)
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var receiver = new PushReceiver(app, certificate, vapidPublicKey);
        app.MapPost("/push/{id}", (string id, HttpRequest request) => receiver.TakeAsync(id, request));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Origin = new Uri($"https://127.0.0.1:{new Uri(address).Port}");
        return receiver;
    }

    /// <summary>A new subscription at this service; the service answers its pushes with <paramref name="status"/> (410: gone).</summary>
    public (string Endpoint, BrowserPushKeys Keys) NewSubscription(int status = 201)
    {
        var id = Guid.NewGuid().ToString("N");
        var keys = new BrowserPushKeys();
        subscriptions[id] = (keys, status);
        return (new Uri(Origin, $"/push/{id}").AbsoluteUri, keys);
    }

    /// <summary>Whether a push of <paramref name="type"/> has reached the endpoint; a refused request fails the test at once.</summary>
    public bool Has(string endpoint, string type) =>
        refused.IsEmpty ? For(endpoint).Any(p => p.Type == type) : throw new Xunit.Sdk.XunitException("The receiver refused a push: " + string.Join("; ", refused));

    public IReadOnlyList<ReceivedPush> For(string endpoint) =>
        Received.Where(p => endpoint.EndsWith("/" + p.Subscription, StringComparison.Ordinal)).ToList();

    /// <summary>Makes the app's push client (in this process) trust the receiver's certificate, and only it beyond the system's.</summary>
    public void TrustIn(IServiceCollection services) =>
        services.AddHttpClient(WebPushSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                    errors == SslPolicyErrors.None || (presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString()),
            },
        });

    /// <summary>The certificate in PEM, for a bundle that <c>SSL_CERT_FILE</c> names for another process.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    private async Task<IResult> TakeAsync(string id, HttpRequest request)
    {
        if (!subscriptions.TryGetValue(id, out var subscription))
        {
            return Results.NotFound();
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var problem = VapidProblem(request) ?? (request.Headers.ContentEncoding != "aes128gcm" ? "Content-Encoding is not aes128gcm" : null)
            ?? (request.Headers["TTL"].Count == 0 ? "no TTL" : null);
        if (problem is not null)
        {
            refused.Enqueue(problem);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var payload = JsonDocument.Parse(subscription.Keys.Decrypt(body.ToArray())).RootElement.Clone();
        received.Enqueue(new ReceivedPush(id, payload, subscription.Status));
        return Results.StatusCode(subscription.Status);
    }

    /// <summary>RFC 8292: <c>Authorization: vapid t=&lt;JWT&gt;, k=&lt;public key&gt;</c>, the JWT ES256-signed by that key.</summary>
    private string? VapidProblem(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("vapid ", StringComparison.Ordinal))
        {
            return $"not a vapid Authorization: {header}";
        }

        var parts = header["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (parts.GetValueOrDefault("k") != vapidPublicKey)
        {
            return "k is not the app's public key";
        }

        var jwt = parts["t"].Split('.');
        var point = Base64Url.DecodeFromChars(vapidPublicKey);
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } });
        if (!key.VerifyData(Encoding.ASCII.GetBytes($"{jwt[0]}.{jwt[1]}"), Base64Url.DecodeFromChars(jwt[2]), HashAlgorithmName.SHA256))
        {
            return "the JWT's signature does not verify";
        }

        using var header64 = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[0]));
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[1]));
        if (header64.RootElement.GetProperty("alg").GetString() != "ES256")
        {
            return "the JWT is not ES256";
        }

        if (claims.RootElement.GetProperty("aud").GetString() != Origin.GetLeftPart(UriPartial.Authority))
        {
            return $"aud is {claims.RootElement.GetProperty("aud")}, not {Origin.GetLeftPart(UriPartial.Authority)}";
        }

        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        if (exp <= DateTimeOffset.UtcNow || exp > DateTimeOffset.UtcNow.AddHours(24))
        {
            return $"exp {exp} is not within the next 24 hours";
        }

        return claims.RootElement.TryGetProperty("sub", out var sub) && sub.GetString()!.StartsWith("mailto:", StringComparison.Ordinal)
            ? null
            : "no mailto: sub";
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=push-receiver.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Loaded back from PKCS#12 so that Kestrel on Linux can use the private key.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (var (keys, _) in subscriptions.Values)
        {
            keys.Dispose();
        }

        Certificate.Dispose();
    }
}
