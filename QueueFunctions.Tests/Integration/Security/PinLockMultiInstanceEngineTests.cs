using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using QueueFunctions.History;
using QueueFunctions.LocalHost.CommandLine;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Http;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Security;

/// <summary>
/// Guessing the day's PIN does not get easier with more app instances: the wrong-PIN count lives in the clinic entity's
/// state, so two instances (separate processes on one task hub, distinct worker ids) share one count and one lock.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PinLockMultiInstanceEngineTests(AzuriteFixture azurite)
{
    /// <summary>Not the default 5, so the test shows the setting is what counts.</summary>
    private const int MaxPinAttempts = 4;

    [Fact]
    public async Task Wrong_PINs_spread_over_two_instances_lock_the_patient_on_both_and_then_the_right_PIN_is_refused_too()
    {
        var hub = AzuriteFixture.NewTaskHubName();
        var clinic = "pin-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            [LocalHostConfigKeys.StorageConnectionString] = azurite.ConnectionString,
            [LocalHostConfigKeys.TaskHub] = hub,
            [LocalHostConfigKeys.FunctionKey] = AzuriteFixture.TestFunctionKey,
            [LocalHostConfigKeys.MaxQueuePollingIntervalMs] = "100",
            ["Queue:Clinics"] = "",
            ["Queue:MaxPinAttempts"] = MaxPinAttempts.ToString(CultureInfo.InvariantCulture),
            ["Queue:ConfirmTimeoutSeconds"] = "30",
            [$"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled"] = "true",
        };
        var hosts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => LocalHostProcess.StartAsync(settings, TimeSpan.FromSeconds(90))));
        await using var first = hosts[0];
        await using var second = hosts[1];
        Assert.NotEqual(first.WorkerId, second.WorkerId);
        using var toFirst = NewHttp(first.BaseAddress);
        using var toSecond = NewHttp(second.BaseAddress);
        HttpClient[] both = [toFirst, toSecond];

        foreach (var user in new[] { "ONE_BY_ONE", "ALL_AT_ONCE" })
        {
            Assert.Equal(200, (await SendAsync(toFirst, "api/v1/queue/enter", new { clinic, user })).Status);
        }

        var pin = await PinAsync(toSecond, clinic);
        var wrong = Enumerable.Range(0, 10_000).Select(n => n.ToString("0000", CultureInfo.InvariantCulture)).Where(p => p != pin).ToList();

        // One guess after another, alternating instances: every wrong PIN up to the limit is refused as wrong, and from
        // then on every attempt, on either instance, finds the patient locked.
        for (var attempt = 1; attempt <= MaxPinAttempts; attempt++)
        {
            var answer = await SendAsync(both[attempt % 2], "api/v1/queue/done", new { clinic, user = "ONE_BY_ONE", pin = wrong[attempt] });
            Assert.True((403, "INVALID_PIN") == answer, $"Wrong PIN {attempt} answered {answer}");
        }

        await AssertLockedAsync(both, clinic, "ONE_BY_ONE", wrong[0]);
        await AssertLockedAsync(both, clinic, "ONE_BY_ONE", pin);

        // Twenty guesses at once over both instances: the limit holds under a race too.
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            SendAsync(both[i % 2], "api/v1/queue/done", new { clinic, user = "ALL_AT_ONCE", pin = wrong[100 + i] })));
        Assert.Equal(MaxPinAttempts, burst.Count(a => a == (403, "INVALID_PIN")));
        Assert.Equal(20 - MaxPinAttempts, burst.Count(a => a == (429, "PIN_LOCKED")));
        await AssertLockedAsync(both, clinic, "ALL_AT_ONCE", pin);

        // Nothing changed for either patient: still waiting, and the staff can still move the queue on.
        foreach (var user in new[] { "ONE_BY_ONE", "ALL_AT_ONCE" })
        {
            var status = await toFirst.GetFromJsonAsync<JsonElement>($"api/v1/queue/status?clinic={clinic}&user={user}");
            Assert.Equal("WAITING", status.GetProperty("you").GetProperty("status").GetString());
        }

        using var call = new HttpRequestMessage(HttpMethod.Post, "api/v1/queue/call") { Content = JsonContent.Create(new { clinic }) };
        call.Headers.Add(FunctionKeys.HeaderName, AzuriteFixture.TestFunctionKey);
        using var called = await toSecond.SendAsync(call);
        Assert.Equal(200, (int)called.StatusCode);
    }

    private static async Task AssertLockedAsync(HttpClient[] hosts, string clinic, string user, string pin)
    {
        foreach (var (http, i) in hosts.Select((h, i) => (h, i)))
        {
            var answer = await SendAsync(http, "api/v1/queue/done", new { clinic, user, pin });
            Assert.True((429, "PIN_LOCKED") == answer, $"Instance {i + 1} answered {answer} for {user} once locked");
        }
    }

    private static async Task<string> PinAsync(HttpClient http, string clinic)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/pin/status");
        request.Headers.Add(FunctionKeys.HeaderName, AzuriteFixture.TestFunctionKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("pins").GetProperty(clinic).GetString()!;
    }

    private static async Task<(int Status, string? Code)> SendAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, json.TryGetProperty("code", out var code) ? code.GetString() : null);
    }

    private static HttpClient NewHttp(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
}
