using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Queueing;

/// <summary>The queue's guarantees on the real Durable Task engine and Azurite, over real HTTP.</summary>
[Collection(EngineCollection.Name)]
public sealed class QueueEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly string[] Clinics = ["lab", "xray", "eyes", "ent", "dental"];

    [Fact]
    public async Task A_thousand_concurrent_enters_over_five_clinics_number_each_clinic_exactly_1_to_n()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var received = new ConcurrentBag<(string Clinic, string User, int Number, int Status)>();

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(1, 1000).Select(async i =>
        {
            var clinic = Clinics[i % Clinics.Length];
            var user = $"P{i:0000}";
            var (status, body) = await http.EnterAsync(clinic, user);
            received.Add((clinic, user, status == 200 ? body.GetProperty("number").GetInt32() : 0, status));
        }));
        clock.Stop();

        Assert.All(received, r => Assert.Equal(200, r.Status));
        foreach (var clinic in Clinics)
        {
            var numbers = received.Where(r => r.Clinic == clinic).Select(r => r.Number).Order().ToList();
            Assert.Equal(Enumerable.Range(1, 200), numbers);

            var stored = (await host.StoredStateAsync(clinic))!;
            Assert.Equal(200, stored.LastNumber);
            foreach (var (_, user, number, _) in received.Where(r => r.Clinic == clinic))
            {
                Assert.Equal(number, stored.WaitingTicketOf(user)!.Number);
            }
        }

        Report($"1,000 concurrent enters over 5 clinics through HTTP: {clock.Elapsed.TotalSeconds:0.0} s, {1000 / clock.Elapsed.TotalSeconds:0} enters/s");
    }

    [Fact]
    public async Task Two_hundred_concurrent_enters_of_one_user_get_one_ticket()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => http.EnterAsync("lab", "TEST_1")));

        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.All(replies, r => Assert.Equal(1, r.Body.GetProperty("number").GetInt32()));
        Assert.True(replies.Count(r => !r.Body.GetProperty("existing").GetBoolean()) <= 1, "at most the request that created the ticket says it is new");
        var stored = (await host.StoredStateAsync("lab"))!;
        Assert.Equal(1, Assert.Single(stored.Tickets).Number);
        Assert.Equal(1, stored.LastNumber);
    }

    [Fact]
    public async Task After_a_crash_mid_burst_no_number_is_lost_doubled_or_skipped_and_numbering_goes_on()
    {
        var hub = AzuriteFixture.NewTaskHubName();
        var visibility = TimeSpan.FromSeconds(15);
        var first = await azurite.StartQueueAppAsync(hub, queueVisibilityTimeout: visibility);
        var acknowledged = new ConcurrentDictionary<string, (string Clinic, int Number)>();
        var users = Enumerable.Range(1, 600).Select(i => (Clinic: Clinics[i % 2], User: $"C{i:000}")).ToList();

        using (var http = first.NewHttp())
        {
            var burst = users.Select(async u =>
            {
                try
                {
                    var (status, body) = await http.EnterAsync(u.Clinic, u.User);
                    if (status == 200)
                    {
                        acknowledged[u.User] = (u.Clinic, body.GetProperty("number").GetInt32());
                    }
                }
                catch (HttpRequestException)
                {
                    // Cut off by the crash: not acknowledged, the patient will try again.
                }
                catch (TaskCanceledException)
                {
                }
            }).ToList();

            await Eventually.TrueAsync(() => acknowledged.Count >= 100, TimeSpan.FromSeconds(120), "100 tickets acknowledged before the crash");
            await first.KillAsync();
            await Task.WhenAll(burst);
        }

        var beforeCrash = acknowledged.ToDictionary();
        Assert.True(beforeCrash.Count < users.Count, "the crash must land in the middle of the burst");
        output.WriteLine($"{beforeCrash.Count} of {users.Count} enters acknowledged before the crash");

        await using var second = await azurite.StartQueueAppAsync(hub, queueVisibilityTimeout: visibility);
        using var retry = second.NewHttp();

        // Every patient asks again: those who had a number must get the same one back.
        var after = await Task.WhenAll(users.Select(async u => (u.User, u.Clinic, Reply: await retry.EnterAsync(u.Clinic, u.User))));
        Assert.All(after, a => Assert.Equal(200, a.Reply.Status));
        foreach (var (user, (clinic, number)) in beforeCrash)
        {
            var again = after.Single(a => a.User == user).Reply.Body;
            Assert.Equal(number, again.GetProperty("number").GetInt32());
            Assert.True(again.GetProperty("existing").GetBoolean());
        }

        foreach (var clinic in Clinics[..2])
        {
            var numbers = after.Where(a => a.Clinic == clinic).Select(a => a.Reply.Body.GetProperty("number").GetInt32()).Order().ToList();
            Assert.Equal(Enumerable.Range(1, users.Count(u => u.Clinic == clinic)), numbers);
        }

        var next = await retry.EnterAsync("lab", "LATECOMER");
        Assert.Equal(users.Count(u => u.Clinic == "lab") + 1, next.Body.GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task The_queue_starts_over_by_itself_at_05_00_Doha_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 4, 59, 58, TimeSpan.FromHours(3)));
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(), time, new FixedPins(Enumerable.Range(1000, 100).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()));
        using var http = host.NewHttp();

        Assert.Equal(1, (await http.EnterAsync("lab", "A")).Body.GetProperty("number").GetInt32());
        var lateB = await http.EnterAsync("lab", "B");
        Assert.Equal((2, "2026-11-29"), (lateB.Body.GetProperty("number").GetInt32(), lateB.Body.GetProperty("serviceDay").GetString()));
        var pinsBefore = await http.GetJsonAsync("api/v1/pin/status", staff: true);
        var yesterdaysPin = pinsBefore.Body.GetProperty("pins").GetProperty("lab").GetString()!;
        Assert.Equal((await host.StoredStateAsync("lab"))!.Pin, yesterdaysPin);

        time.Advance(TimeSpan.FromSeconds(2)); // 05:00:00

        var status = await http.GetJsonAsync("api/v1/queue/status?clinic=lab&user=A");
        Assert.Equal(("2026-11-30", 0), (status.Body.GetProperty("serviceDay").GetString(), status.Body.GetProperty("length").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.Body.GetProperty("you").ValueKind);

        var firstOfDay = await http.EnterAsync("lab", "B");
        Assert.Equal((1, "2026-11-30", false), (firstOfDay.Body.GetProperty("number").GetInt32(), firstOfDay.Body.GetProperty("serviceDay").GetString(), firstOfDay.Body.GetProperty("existing").GetBoolean()));
        var stored = (await host.StoredStateAsync("lab"))!;
        Assert.Equal(new DateOnly(2026, 11, 30), stored.ServiceDay);
        Assert.NotEqual(yesterdaysPin, stored.Pin);
        var pinsAfter = await http.GetJsonAsync("api/v1/pin/status", staff: true);
        Assert.Equal(("2026-11-30", stored.Pin), (pinsAfter.Body.GetProperty("serviceDay").GetString(), pinsAfter.Body.GetProperty("pins").GetProperty("lab").GetString()));

        // Yesterday's PIN no longer finishes a ticket; today's does.
        Assert.Equal(403, (await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = "B", pin = yesterdaysPin })).Status);
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = "B", pin = stored.Pin })).Status);
    }

    [Fact]
    public async Task Staff_endpoints_need_the_key_on_the_real_host()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await http.EnterAsync("lab", "A");

        Assert.Equal(401, (await http.PostAsync("api/v1/queue/call", new { clinic = "lab" })).Status);
        Assert.Equal(401, (await http.GetJsonAsync("api/v1/pin/status")).Status);
        Assert.Equal(401, (await http.PostAsync("api/v1/queue/reset", new { clinic = "lab" })).Status);

        var call = await http.PostAsync("api/v1/queue/call", new { clinic = "lab" }, staff: true);
        Assert.Equal((200, 1), (call.Status, call.Body.GetProperty("skipped").GetInt32()));
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/reset", new { clinic = "lab" }, staff: true)).Status);
        Assert.Equal(1, (await http.EnterAsync("lab", "A")).Body.GetProperty("number").GetInt32());
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "engine-figures.txt"), line + Environment.NewLine);
    }
}
