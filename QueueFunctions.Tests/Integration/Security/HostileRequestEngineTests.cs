using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.Extensions.Logging;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Hostile;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Security;

/// <summary>
/// Hundreds of malformed and hostile requests over every endpoint, and a flood of event streams from one client, on the
/// real app over real HTTP: every reply is a refusal in the contract's shape (or an explicitly accounted read, page or
/// stream), none is a 5xx or late, and every clinic's stored state is byte for byte what it was before.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class HostileRequestEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int StreamFlood = 2000;

    /// <summary>Requests in flight at once: enough to keep two cores busy without measuring only the queueing.</summary>
    private const int Parallel = 12;

    [Fact]
    public async Task Hostile_requests_are_refused_in_the_contracts_shape_in_bounded_time_and_change_no_stored_state()
    {
        var logs = new CapturedLogs();
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), pins: new FixedPins(Clinic.Pin), logs: logs);
        using var http = host.NewHttp();
        await SeedAsync(host, http);
        var before = await StoredEntitiesAsync(host);

        var clock = Stopwatch.StartNew();
        var cases = HostileRequests.All(QueueAppHost.StaffKey);
        var failures = new ConcurrentBag<string>();
        var slow = new ConcurrentBag<string>();
        using var gate = new SemaphoreSlim(Parallel);
        await Task.WhenAll(cases.Select(async test =>
        {
            await gate.WaitAsync();
            try
            {
                var reply = await RawHttp.SendAsync(host.BaseAddress, test.Request, test.Bound + TimeSpan.FromSeconds(5));
                if (HostileReplyCheck.Problem(test, reply) is { } problem)
                {
                    failures.Add($"[{test.Class}] {test.Name}: {problem} (got {reply})");
                }

                if (test.Outcome == HostileOutcome.RefusedOrDropped)
                {
                    slow.Add($"  {test.Name}: {reply} after {reply.Elapsed.TotalSeconds:0.0} s");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        var tableTime = clock.Elapsed;

        var streams = await FloodStreamsAsync(host, http, failures);

        var after = await StoredEntitiesAsync(host);
        foreach (var group in cases.GroupBy(c => c.Class))
        {
            output.WriteLine($"{group.Key}: {group.Count()} requests");
        }

        output.WriteLine($"stream connections from one client: {StreamFlood} ({streams.Accepted} streams, {streams.Refused} refused with 429)");
        output.WriteLine($"{cases.Count + StreamFlood} requests; the table took {tableTime.TotalSeconds:0.0} s, the stream flood {streams.Took.TotalSeconds:0.0} s");
        output.WriteLine("slow bodies:");
        foreach (var line in slow.Order(StringComparer.Ordinal))
        {
            output.WriteLine(line);
        }

        foreach (var failure in failures.Order(StringComparer.Ordinal))
        {
            output.WriteLine(failure);
        }

        // A client's error is not the server's: no function may have failed (the host logs each failure as an error).
        var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}").ToList();
        foreach (var error in errors)
        {
            output.WriteLine("logged: " + error);
        }

        Assert.True(cases.Count >= 300, $"only {cases.Count} hostile requests in the table");
        Assert.Empty(failures);
        Assert.Empty(errors);
        Assert.NotEmpty(before);
        foreach (var id in before.Keys.Union(after.Keys).Where(id => before.GetValueOrDefault(id) != after.GetValueOrDefault(id)))
        {
            output.WriteLine($"{id} before: {before.GetValueOrDefault(id)}");
            output.WriteLine($"{id} after:  {after.GetValueOrDefault(id)}");
        }

        Assert.Equal(before, after);
    }

    /// <summary>Tickets, a finished one and a wrong PIN at two clinics, so there is state that must not change.</summary>
    private static async Task SeedAsync(LocalQueueHost host, HttpClient http)
    {
        foreach (var (clinic, user) in new[] { ("lab", "SEED_1"), ("lab", "SEED_2"), ("lab", "SEED_3"), ("xray", "SEED_4") })
        {
            Assert.Equal(200, (await http.EnterAsync(clinic, user)).Status);
        }

        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = "SEED_1", pin = Clinic.Pin })).Status);
        Assert.Equal(403, (await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = "SEED_2", pin = Clinic.WrongPin })).Status);

        // The entity's outbox is emptied by its publisher after each change: the state is still until that is done.
        foreach (var clinic in new[] { "lab", "xray" })
        {
            await Eventually.UntilAsync(() => host.StoredStateAsync(clinic), s => s is { Outbox: { IsEmpty: true, Publishing: false } }, TimeSpan.FromSeconds(60), $"the outbox of {clinic} to drain");
        }
    }

    /// <summary>Every entity of the task hub with its state exactly as stored (the serialized JSON).</summary>
    private static async Task<SortedDictionary<string, string?>> StoredEntitiesAsync(LocalQueueHost host)
    {
        var stored = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        await foreach (var entity in host.Client.Entities.GetAllEntitiesAsync(new EntityQuery { IncludeState = true }))
        {
            stored[entity.Id.ToString()] = entity.State?.Value;
        }

        return stored;
    }

    /// <summary>
    /// Opens <see cref="StreamFlood"/> streams on one clinic from one client and holds them: the clinic's limit of open
    /// streams is served, every other gets the contract's 429, and the app still answers others meanwhile.
    /// </summary>
    private static async Task<(int Accepted, int Refused, TimeSpan Took)> FloodStreamsAsync(LocalQueueHost host, HttpClient http, ConcurrentBag<string> failures)
    {
        const string clinic = "ent";
        var limit = new FloodLimitOptions().StreamsPerClinic;
        var clock = Stopwatch.StartNew();
        var open = new ConcurrentBag<HttpResponseMessage>();
        var refused = 0;
        using var gate = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, StreamFlood).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/events/stream?clinic={clinic}");
                using var bounded = new CancellationTokenSource(HostileCase.Usual);
                var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
                if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
                {
                    open.Add(response);
                    return;
                }

                using (response)
                {
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(bounded.Token)).RootElement;
                    if (response.StatusCode == HttpStatusCode.TooManyRequests && body.GetProperty("code").GetString() == "RATE_LIMITED"
                        && !body.GetProperty("success").GetBoolean() && response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 })
                    {
                        Interlocked.Increment(ref refused);
                    }
                    else
                    {
                        failures.Add($"[stream flood] stream {i}: {(int)response.StatusCode} {body}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                failures.Add($"[stream flood] stream {i}: no answer within {HostileCase.Usual.TotalSeconds} s");
            }
            finally
            {
                gate.Release();
            }
        }));

        // Held streams do not starve everyone else: a patient's status read is answered at once.
        var read = Stopwatch.StartNew();
        var (status, _) = await http.GetJsonAsync($"api/v1/queue/status?clinic={clinic}");
        if (status != 200 || read.Elapsed > HostileCase.Usual)
        {
            failures.Add($"[stream flood] a status read during the flood answered {status} after {read.Elapsed.TotalSeconds:0.0} s");
        }

        var accepted = open.Count;
        if (accepted != limit || refused != StreamFlood - limit)
        {
            failures.Add($"[stream flood] {accepted} streams and {refused} refusals, expected {limit} and {StreamFlood - limit}");
        }

        foreach (var response in open)
        {
            response.Dispose();
        }

        // Closed streams give their places back: a new one is served again.
        await Eventually.TrueAsync(
            async () =>
            {
                using var again = await http.GetAsync($"api/v1/events/stream?clinic={clinic}", HttpCompletionOption.ResponseHeadersRead);
                return again.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "a stream to be served again once the flood's streams closed");
        return (accepted, refused, clock.Elapsed);
    }
}
