using System.Net.Http.Json;
using Microsoft.Azure.Functions.Worker;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Http;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Security;

/// <summary>
/// Every staff endpoint of the real app on the local host refuses a request without the right key, however the key is
/// wrong, and serves it with the function or master key in the header or as <c>code</c>.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StaffKeyEngineTests(AzuriteFixture azurite)
{
    /// <summary>Each staff endpoint with a request it serves, and what it answers with a right key.</summary>
    private static readonly (string Method, string Path, object? Body, int Served)[] Staff =
    [
        ("POST", "api/v1/queue/call", new { clinic = "xray" }, 404),
        ("POST", "api/v1/queue/reset", new { clinic = "lab" }, 200),
        ("GET", "api/v1/pin/status", null, 200),
        ("GET", "api/v1/reports/daily?clinic=lab", null, 200),
        ("GET", "api/v1/reports/range?from=2026-01-01&to=2026-01-31&clinic=lab", null, 200),
        ("GET", "api/v1/queue/tickets?clinic=lab", null, 200),
        ("GET", "api/v1/overview", null, 200),
        ("GET", "api/v1/overview/stream", null, 200),
    ];

    [Fact]
    public void The_staff_endpoints_tested_here_are_every_keyed_function_of_the_app()
    {
        var keyed = FunctionCatalog.Discover(typeof(QueueFunctions.Queueing.Endpoints.QueueEndpoints).Assembly).HttpFunctions
            .Where(f => f.AuthLevel != AuthorizationLevel.Anonymous)
            .Select(f => f.Route)
            .Order(StringComparer.Ordinal);

        Assert.Equal(Staff.Select(s => s.Path.Split('?')[0]).Order(StringComparer.Ordinal), keyed);
        Assert.All(
            FunctionCatalog.Discover(typeof(QueueFunctions.Queueing.Endpoints.QueueEndpoints).Assembly).HttpFunctions.Where(f => f.AuthLevel != AuthorizationLevel.Anonymous),
            f => Assert.Equal(AuthorizationLevel.Function, f.AuthLevel));
    }

    [Fact]
    public async Task Each_staff_endpoint_refuses_every_wrong_key_and_serves_the_right_one_in_header_or_query()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        const string key = AzuriteFixture.TestFunctionKey;
        (string? Header, string? Code, string What)[] refused =
        [
            (null, null, "no key"),
            ("wrong-" + key[6..], null, "a wrong key of the same length in the header"),
            (null, "wrong-" + key[6..], "a wrong key of the same length as code"),
            (key[..^1], null, "the key less its last character"),
            (key + "x", null, "the key and one more character"),
            ("short", null, "a short key"),
            (new string('k', 4000), null, "a very long key"),
            (key.ToUpperInvariant(), null, "the key in upper case"),
            ("", key, "an empty header beside the right code (the header is read, as on Azure)"),
            ("wrong", key, "a wrong header beside the right code"),
        ];
        (string? Header, string? Code, string What)[] served =
        [
            (key, null, "the function key in the header"),
            (null, key, "the function key as code"),
            (AzuriteFixture.TestMasterKey, null, "the master key in the header"),
            (null, AzuriteFixture.TestMasterKey, "the master key as code"),
        ];

        foreach (var (method, path, body, servedStatus) in Staff)
        {
            foreach (var (header, code, what) in refused)
            {
                var (status, text) = await SendAsync(http, method, path, body, header, code);
                Assert.True(status == 401, $"{method} {path} with {what} answered {status}");
                Assert.True(text.Length == 0, $"{method} {path} with {what} answered a body: {text}");
            }

            foreach (var (header, code, what) in served)
            {
                var (status, text) = await SendAsync(http, method, path, body, header, code);
                Assert.True(status == servedStatus, $"{method} {path} with {what} answered {status}: {text}");
            }
        }
    }

    [Fact]
    public async Task The_public_endpoints_need_no_key()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();

        Assert.Equal(200, (await SendAsync(http, "POST", "api/v1/queue/enter", new { clinic = "lab", user = "P1" }, null, null)).Status);
        Assert.Equal(200, (await SendAsync(http, "GET", "api/v1/queue/status?clinic=lab", null, null, null)).Status);
        // Whether the guessed PIN is right does not matter here, only that the PIN and not a key decides.
        Assert.NotEqual(401, (await SendAsync(http, "POST", "api/v1/queue/done", new { clinic = "lab", user = "P1", pin = "0000" }, null, null)).Status);
        Assert.Equal(404, (await SendAsync(http, "GET", "api/v1/visits?user=P1", null, null, null)).Status);
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient http, string method, string path, object? body, string? header, string? code)
    {
        var target = code is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}code={Uri.EscapeDataString(code)}";
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(FunctionKeys.HeaderName, header);
        }

        // A stream served stays open: its status is the answer, and closing the response ends it.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? ((int)response.StatusCode, string.Empty)
            : ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
