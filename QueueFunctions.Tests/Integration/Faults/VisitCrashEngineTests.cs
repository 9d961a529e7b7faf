using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using QueueFunctions.History;
using QueueFunctions.LocalHost.CommandLine;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Faults;

/// <summary>
/// The app killed outright between a visit's ticket turning DONE and its next ticket existing: once an app runs again
/// on the same storage, the visit moves on by itself, exactly once, with no client acting.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class VisitCrashEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly string[] Cooks = ["lab", "internal", "ent", "surgery"];

    [Fact]
    public async Task A_visit_killed_between_done_and_its_next_ticket_moves_on_once_after_the_restart()
    {
        var hub = AzuriteFixture.NewTaskHubName();
        var log = new ConcurrentQueue<string>();
        var app = await StartAsync(hub, log);
        try
        {
            var http = NewHttp(app.BaseAddress);
            var precise = Enumerable.Range(1, 3).Select(i => $"CRASH{i}").ToList();
            var inFlight = Enumerable.Range(1, 10).Select(i => $"FLIGHT{i:00}").ToList();
            foreach (var user in precise.Concat(inFlight))
            {
                var (status, _) = await PostAsync(http, "api/v1/visits", new { user, exam = "cooks", gender = "male" });
                Assert.Equal(200, status);
            }

            var pin = await LabPinAsync(http);

            // 1. Killed right after the DONE is stored, each time before the visit had moved on.
            foreach (var user in precise)
            {
                _ = PostAsync(http, "api/v1/queue/done", new { clinic = "lab", user, pin });
                await Eventually.TrueAsync(async () => await TicketStatusAsync(http, "lab", user) == "DONE", TimeSpan.FromSeconds(30), $"{user}'s lab ticket to be DONE");
                var beforeKill = await GetVisitAsync(http, user);
                app.Kill();
                // The kill came in the window: lab DONE, and the visit not yet at a next clinic.
                Assert.Equal("lab", beforeKill.CurrentClinic());
                Assert.Equal(("lab", "DONE"), (beforeKill.Steps()[0].Clinic, beforeKill.Steps()[0].Status));
                Assert.All(beforeKill.Steps().Skip(1), s => Assert.Equal("PENDING", s.Status));

                var clock = Stopwatch.StartNew();
                app = await StartAsync(hub, log);
                http.Dispose();
                http = NewHttp(app.BaseAddress);
                var moved = await Eventually.UntilAsync(() => GetVisitAsync(http, user), v => v.CurrentClinic() is not (null or "lab"), TimeSpan.FromSeconds(90), $"{user}'s visit to move on after the restart");
                output.WriteLine($"{user}: killed with lab DONE and no next ticket; after the restart the visit was at {moved.CurrentClinic()} in {clock.Elapsed.TotalSeconds:0.0} s, with no request for it");
            }

            // 2. Ten dones in flight when the app dies at an arbitrary moment; patients whose done was lost repeat it.
            var dones = inFlight.Select(user => PostAsync(http, "api/v1/queue/done", new { clinic = "lab", user, pin })).ToList();
            await Eventually.TrueAsync(async () => await TicketStatusAsync(http, "lab", inFlight[0]) == "DONE", TimeSpan.FromSeconds(30), "the first done to land");
            app.Kill();
            await Task.WhenAll(dones);
            app = await StartAsync(hub, log);
            http.Dispose();
            http = NewHttp(app.BaseAddress);
            var repeated = 0;
            foreach (var user in inFlight)
            {
                if (await TicketStatusAsync(http, "lab", user) != "DONE")
                {
                    repeated++;
                    Assert.Equal(200, (await PostAsync(http, "api/v1/queue/done", new { clinic = "lab", user, pin })).Status);
                }
            }

            foreach (var user in inFlight)
            {
                await Eventually.UntilAsync(() => GetVisitAsync(http, user), v => v.CurrentClinic() is not (null or "lab"), TimeSpan.FromSeconds(90), $"{user}'s visit to move on");
            }

            output.WriteLine($"In flight: {inFlight.Count - repeated} of {inFlight.Count} dones had landed before the kill; {repeated} were repeated by their patients");

            // 3. Every visit: lab DONE, exactly one WAITING ticket, at the clinic it names; every clinic numbered 1..n.
            var everyone = precise.Concat(inFlight).ToList();
            var routed = new Dictionary<string, int>();
            foreach (var user in everyone)
            {
                var visit = await GetVisitAsync(http, user);
                var steps = visit.Steps();
                Assert.Equal(("lab", "DONE"), (steps[0].Clinic, steps[0].Status));
                Assert.Equal("WAITING", steps[1].Status);
                Assert.All(steps.Skip(2), s => Assert.Equal("PENDING", s.Status));
                var waiting = 0;
                foreach (var clinic in Cooks)
                {
                    waiting += await TicketStatusAsync(http, clinic, user) == "WAITING" ? 1 : 0;
                }

                Assert.Equal(1, waiting);
                routed[steps[1].Clinic] = routed.GetValueOrDefault(steps[1].Clinic) + 1;
            }

            foreach (var clinic in Cooks.Skip(1))
            {
                var status = await http.GetFromJsonAsync<JsonElement>($"api/v1/queue/status?clinic={clinic}");
                Assert.Equal(routed.GetValueOrDefault(clinic), status.GetProperty("length").GetInt32());
                Assert.Equal(routed.GetValueOrDefault(clinic), status.GetProperty("waiting").GetInt32());
            }

            output.WriteLine("Next clinics: " + string.Join(", ", routed.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
            http.Dispose();
        }
        catch
        {
            output.WriteLine(string.Join('\n', log.TakeLast(200)));
            throw;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private Task<LocalHostProcess> StartAsync(string hub, ConcurrentQueue<string> log) =>
        LocalHostProcess.StartAsync(new Dictionary<string, string?>
        {
            [LocalHostConfigKeys.StorageConnectionString] = azurite.ConnectionString,
            [LocalHostConfigKeys.TaskHub] = hub,
            [LocalHostConfigKeys.FunctionKey] = AzuriteFixture.TestFunctionKey,
            [LocalHostConfigKeys.MaxQueuePollingIntervalMs] = "100",
            // A short lease, so that the restarted app takes the dead one's partitions within seconds.
            [LocalHostConfigKeys.LeaseIntervalSeconds] = "6",
            [LocalHostConfigKeys.LeaseRenewIntervalSeconds] = "2",
            [LocalHostConfigKeys.QueueVisibilityTimeoutSeconds] = "10",
            ["Queue:ConfirmTimeoutSeconds"] = "30",
            [$"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled"] = "true",
        }, TimeSpan.FromSeconds(90), line => log.Enqueue(line));

    private static HttpClient NewHttp(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<(int Status, JsonElement Body)> PostAsync(HttpClient http, string path, object body)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, default);
        }
    }

    private static async Task<JsonElement> GetVisitAsync(HttpClient http, string user) =>
        await http.GetFromJsonAsync<JsonElement>($"api/v1/visits?user={user}");

    private static async Task<string?> TicketStatusAsync(HttpClient http, string clinic, string user)
    {
        var status = await http.GetFromJsonAsync<JsonElement>($"api/v1/queue/status?clinic={clinic}&user={user}");
        var you = status.GetProperty("you");
        return you.ValueKind == JsonValueKind.Object ? you.GetProperty("status").GetString() : null;
    }

    private static async Task<string> LabPinAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/pin/status");
        request.Headers.Add("x-functions-key", AzuriteFixture.TestFunctionKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("pins").GetProperty("lab").GetString()!;
    }
}
