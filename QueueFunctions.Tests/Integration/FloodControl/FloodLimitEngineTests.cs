using System.Diagnostics;
using QueueFunctions.Domain;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.FloodControl;

/// <summary>
/// The per-clinic flood limits on the real app over real HTTP: a flood of one clinic gets the contract's 429 with
/// Retry-After, another clinic's ordinary traffic goes on, and a refused request leaves nothing in the clinic's state.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class FloodLimitEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Burst = 20;

    [Fact]
    public async Task A_flood_of_enters_is_429_past_the_clinics_burst_while_another_clinic_is_served_and_refused_enters_take_no_ticket()
    {
        await using var host = await StartAsync(new() { ["Limits:EnterBurst"] = $"{Burst}", ["Limits:EnterPerSecond"] = "1" });
        using var http = host.NewHttp();

        var clock = Stopwatch.StartNew();
        var flood = Enumerable.Range(0, 4 * Burst).Select(async i => (User: $"FLOOD_{i}", Reply: await SendEnterAsync(http, "lab", $"FLOOD_{i}"))).ToList();
        var kiosk = Task.Run(async () =>
        {
            var statuses = new List<int>();
            for (var i = 0; i < 10; i++)
            {
                statuses.Add((await http.EnterAsync("xray", $"KIOSK_{i}")).Status);
            }

            return statuses;
        });
        var replies = await Task.WhenAll(flood);
        var seconds = clock.Elapsed.TotalSeconds;

        var accepted = replies.Where(r => r.Reply.Status == 200).Select(r => r.User).ToHashSet();
        var refused = replies.Where(r => r.Reply.Status == 429).ToList();
        output.WriteLine($"{accepted.Count} entered and {refused.Count} refused in {seconds:0.0} s");
        Assert.Equal(replies.Length, accepted.Count + refused.Count);
        Assert.InRange(accepted.Count, Burst, Burst + (int)Math.Ceiling(seconds) + 1);
        Assert.All(refused, r =>
        {
            Assert.Equal("RATE_LIMITED", r.Reply.Code);
            Assert.InRange(r.Reply.RetryAfterSeconds ?? 0, 1, 60);
        });
        Assert.All(await kiosk, status => Assert.Equal(200, status));

        // Only the accepted patients hold tickets, numbered 1..n without a gap: the refused ones left no trace.
        var lab = (await host.StoredStateAsync("lab"))!;
        Assert.Equal(accepted.Count, lab.LastNumber);
        Assert.Equal(accepted.Order(StringComparer.Ordinal), lab.Tickets.Select(t => t.User).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, accepted.Count), lab.Tickets.Select(t => t.Number).Order());

        // The bucket refills: the clinic takes patients again after the wait it named.
        await Eventually.TrueAsync(async () => (await http.EnterAsync("lab", "AFTER_THE_FLOOD")).Status == 200, TimeSpan.FromSeconds(30), "an enter after the flood");
    }

    [Fact]
    public async Task A_flood_of_wrong_pins_is_429_past_the_clinics_burst_and_only_the_pins_tried_are_counted()
    {
        const int burst = 3;
        await using var host = await StartAsync(new() { ["Limits:DoneBurst"] = $"{burst}", ["Limits:DonePerSecond"] = "1", ["Queue:MaxPinAttempts"] = "100" });
        using var http = host.NewHttp();
        Assert.Equal(200, (await http.EnterAsync("lab", "GUESSER")).Status);

        var clock = Stopwatch.StartNew();
        var replies = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => SendDoneAsync(http, "lab", "GUESSER", Clinic.WrongPin)));
        var seconds = clock.Elapsed.TotalSeconds;

        var tried = replies.Count(r => r is { Status: 403, Code: "INVALID_PIN" });
        var limited = replies.Where(r => r.Status == 429).ToList();
        output.WriteLine($"{tried} PINs tried and {limited.Count} refused in {seconds:0.0} s");
        Assert.Equal(replies.Length, tried + limited.Count);
        Assert.InRange(tried, burst, burst + (int)Math.Ceiling(seconds) + 1);
        Assert.All(limited, r => Assert.Equal(("RATE_LIMITED", true), (r.Code, r.RetryAfterSeconds >= 1)));

        var lab = (await host.StoredStateAsync("lab"))!;
        Assert.Equal(tried, lab.PinFailures[ClinicQueueState.UserKey("GUESSER")]);
        Assert.Equal(TicketStatus.Waiting, lab.Tickets.Single().Status);
    }

    [Fact]
    public async Task Visit_starts_count_as_enters_at_their_first_clinic_and_a_refused_start_makes_no_visit()
    {
        const int burst = 4;
        await using var host = await StartAsync(new() { ["Limits:EnterBurst"] = $"{burst}", ["Limits:EnterPerSecond"] = "1" });
        using var http = host.NewHttp();

        var clock = Stopwatch.StartNew();
        var users = Enumerable.Range(0, 3 * burst).Select(i => $"VISITOR_{i}").ToList();
        var replies = await Task.WhenAll(users.Select(async user => (User: user, Reply: await SendAsync(http, "api/v1/visits", new { user, exam = "cooks", gender = "male" }))));
        var seconds = clock.Elapsed.TotalSeconds;

        var started = replies.Where(r => r.Reply.Status == 200).Select(r => r.User).ToHashSet();
        var refused = replies.Where(r => r.Reply.Status == 429).ToList();
        output.WriteLine($"{started.Count} visits started and {refused.Count} refused in {seconds:0.0} s");
        Assert.Equal(replies.Length, started.Count + refused.Count);
        Assert.InRange(started.Count, burst, burst + (int)Math.Ceiling(seconds) + 1);
        Assert.All(refused, r => Assert.Equal(("RATE_LIMITED", true), (r.Reply.Code, r.Reply.RetryAfterSeconds >= 1)));

        // The visits' first clinic (lab) holds exactly the started ones; a refused patient has no visit at all.
        var lab = (await host.StoredStateAsync("lab"))!;
        Assert.Equal(started.Order(StringComparer.Ordinal), lab.Tickets.Select(t => t.User).Order(StringComparer.Ordinal));
        foreach (var (user, _) in refused)
        {
            Assert.Equal(404, (await http.GetJsonAsync($"api/v1/visits?user={user}")).Status);
        }
    }

    private Task<LocalQueueHost> StartAsync(Dictionary<string, string?> settings) =>
        azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), pins: new FixedPins(Clinic.Pin), settings: settings);

    private static async Task<Refusal> SendEnterAsync(HttpClient http, string clinic, string user) =>
        await SendAsync(http, "api/v1/queue/enter", new { clinic, user });

    private static async Task<Refusal> SendDoneAsync(HttpClient http, string clinic, string user, string pin) =>
        await SendAsync(http, "api/v1/queue/done", new { clinic, user, pin });

    private static async Task<Refusal> SendAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsync(path, System.Net.Http.Json.JsonContent.Create(body));
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var code = json.TryGetProperty("code", out var c) ? c.GetString() : null;
        return new Refusal((int)response.StatusCode, code, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
    }

    private sealed record Refusal(int Status, string? Code, int? RetryAfterSeconds);
}
