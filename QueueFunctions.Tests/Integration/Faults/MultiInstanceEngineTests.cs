using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using QueueFunctions.History;
using QueueFunctions.LocalHost.CommandLine;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Faults;

/// <summary>
/// Two app instances as separate processes on one task hub, each with its own worker id, as two Azure instances are:
/// a burst split across both is served without a timeout, and when one dies outright, the other takes over its
/// clinics once the dead one's partition leases expire, with every acknowledged ticket kept.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MultiInstanceEngineTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Clinics = 8;

    /// <summary>Shortened from the engine's 30 s so that the takeover is measured in a test; renewal every 2 s.</summary>
    private const int LeaseSeconds = 6;

    [Fact]
    public async Task Two_instances_share_a_burst_and_the_survivor_takes_over_the_clinics_of_one_that_crashed()
    {
        var hub = AzuriteFixture.NewTaskHubName();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var clinics = Enumerable.Range(1, Clinics).Select(i => $"mi{i}-{suffix}").ToArray();
        var log = new ConcurrentQueue<string>();
        var settings = Settings(hub);

        var starting = new[] { "first", "second" }.Select(name => LocalHostProcess.StartAsync(settings, TimeSpan.FromSeconds(90), line => log.Enqueue($"[{name}] {line}")));
        var hosts = await Task.WhenAll(starting);
        await using var first = hosts[0];
        await using var second = hosts[1];
        Assert.NotEqual(first.WorkerId, second.WorkerId);
        using var toFirst = NewHttp(first.BaseAddress);
        using var toSecond = NewHttp(second.BaseAddress);
        HttpClient[] both = [toFirst, toSecond];

        // 1. Both alive: 320 enters over 8 clinics, alternating between the instances, all at once. No timeout.
        var acknowledged = new ConcurrentDictionary<string, (string Clinic, int Number)>();
        var alive = await Task.WhenAll(Enumerable.Range(0, 320).Select(async i =>
        {
            var (clinic, user) = (clinics[i % Clinics], $"A{i}");
            var (status, number) = await EnterAsync(both[i % 2], clinic, user);
            if (status == 200)
            {
                acknowledged[user] = (clinic, number);
            }

            return status;
        }));
        Assert.All(alive, status => Assert.Equal(200, status));

        var owners = await PartitionOwnersAsync(hub);
        output.WriteLine($"Partition owners before the crash: {string.Join(", ", owners)} (first = {first.WorkerId}, second = {second.WorkerId})");
        await Eventually.TrueAsync(async () => (await PartitionOwnersAsync(hub)).Contains(first.WorkerId!) && (await PartitionOwnersAsync(hub)).Contains(second.WorkerId!), TimeSpan.FromSeconds(60), "both instances to own partitions");

        // 2. A second burst, during which the first instance dies. Clients retry on the survivor, as a kiosk would.
        var killedAt = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstAnswerAfterKill = new ConcurrentDictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var burst = Enumerable.Range(0, 400).Select(async i =>
        {
            var (clinic, user) = (clinics[i % Clinics], $"B{i}");
            var deadline = clock.Elapsed + TimeSpan.FromSeconds(120);
            var target = both[i % 2];
            while (clock.Elapsed < deadline)
            {
                var (status, number) = await EnterAsync(target, clinic, user);
                if (status == 200)
                {
                    acknowledged[user] = (clinic, number);
                    return;
                }

                target = toSecond;
            }
        }).ToList();

        await Eventually.TrueAsync(() => acknowledged.Count >= 320 + 100, TimeSpan.FromSeconds(120), "a quarter of the second burst to be acknowledged");
        first.Kill();
        killedAt.SetResult(clock.Elapsed);
        var ackedAtKill = acknowledged.Count - 320;

        // One patient per clinic, entering through the survivor right after the crash (and repeating the same request
        // after a timeout, which is safe): how long each clinic stays unanswered.
        var probes = clinics.Select(async clinic =>
        {
            var user = $"PROBE-{clinic}";
            while (clock.Elapsed < killedAt.Task.Result + TimeSpan.FromSeconds(120))
            {
                var (status, number) = await EnterAsync(toSecond, clinic, user);
                if (status == 200)
                {
                    acknowledged[user] = (clinic, number);
                    firstAnswerAfterKill[clinic] = (clock.Elapsed - killedAt.Task.Result).TotalSeconds;
                    return;
                }
            }
        });
        await Task.WhenAll(burst.Concat(probes));

        Assert.Equal(Clinics, firstAnswerAfterKill.Count);
        var takeover = firstAnswerAfterKill.Values.Max();
        output.WriteLine($"Second burst: {ackedAtKill} of 400 acknowledged when the first instance was killed; " +
                         $"then every clinic answered again within {takeover:0.0} s (lease {LeaseSeconds} s, renewal 2 s). Per clinic: " +
                         string.Join(", ", firstAnswerAfterKill.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:0.0} s")));

        // 3. Every acknowledged ticket is the user's stored ticket; every clinic is numbered exactly 1..n.
        Assert.Equal(320 + 400 + Clinics, acknowledged.Count);
        foreach (var clinic in clinics)
        {
            var numbers = acknowledged.Values.Where(a => a.Clinic == clinic).Select(a => a.Number).Order().ToList();
            Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
            var status = await toSecond.GetFromJsonAsync<JsonElement>($"api/v1/queue/status?clinic={clinic}");
            Assert.Equal(numbers.Count, status.GetProperty("length").GetInt32());
        }

        foreach (var (user, (clinic, number)) in acknowledged)
        {
            var you = (await toSecond.GetFromJsonAsync<JsonElement>($"api/v1/queue/status?clinic={clinic}&user={user}")).GetProperty("you");
            Assert.Equal(number, you.GetProperty("number").GetInt32());
        }

        Assert.True(takeover < LeaseSeconds + 15, $"The survivor took {takeover:0.0} s to answer for every clinic.");
    }

    [Fact]
    public async Task A_third_instance_joining_mid_burst_changes_nothing_for_the_clients()
    {
        var hub = AzuriteFixture.NewTaskHubName();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var clinics = Enumerable.Range(1, Clinics).Select(i => $"mj{i}-{suffix}").ToArray();
        var settings = Settings(hub);
        var hosts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => LocalHostProcess.StartAsync(settings, TimeSpan.FromSeconds(90))));
        await using var first = hosts[0];
        await using var second = hosts[1];
        using var toFirst = NewHttp(first.BaseAddress);
        using var toSecond = NewHttp(second.BaseAddress);
        HttpClient[] both = [toFirst, toSecond];

        // 40 clients enter new patients one after another through both instances, until a third instance has started
        // and taken its share of the partitions, and a few seconds more.
        var acknowledged = new ConcurrentDictionary<string, (string Clinic, int Number)>();
        var failures = new ConcurrentBag<int>();
        var slowest = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 40).Select(async client =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var (clinic, user) = (clinics[(client + n) % Clinics], $"J{client}-{n}");
                var clock = Stopwatch.StartNew();
                var (status, number) = await EnterAsync(both[(client + n) % 2], clinic, user);
                slowest.Add(clock.Elapsed.TotalSeconds);
                if (status == 200)
                {
                    acknowledged[user] = (clinic, number);
                }
                else
                {
                    failures.Add(status);
                }
            }
        }).ToList();

        await Eventually.TrueAsync(() => acknowledged.Count >= 150, TimeSpan.FromSeconds(60), "the burst to get going");
        await using var joined = await LocalHostProcess.StartAsync(settings, TimeSpan.FromSeconds(90));
        var joinedAt = acknowledged.Count;
        await Eventually.TrueAsync(async () => (await PartitionOwnersAsync(hub)).Contains(joined.WorkerId!), TimeSpan.FromSeconds(60), "the third instance to own a partition");
        await Eventually.TrueAsync(() => acknowledged.Count >= joinedAt + 300 || !failures.IsEmpty, TimeSpan.FromSeconds(90), "300 more answers after the join");
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var owners = await PartitionOwnersAsync(hub);
        output.WriteLine($"{acknowledged.Count} answered 200 ({joinedAt} before the third instance started), {failures.Count} not ({string.Join(", ", failures.Distinct())}); " +
                         $"slowest answer {slowest.Max():0.0} s; partition owners at the end: {string.Join(", ", owners)}");
        Assert.Empty(failures);
        foreach (var clinic in clinics)
        {
            var numbers = acknowledged.Values.Where(a => a.Clinic == clinic).Select(a => a.Number).Order().ToList();
            Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
        }
    }

    /// <summary>
    /// The instances' settings. Queue messages an instance had taken come back after 10 s if it dies or gives up its
    /// partition (engine default 5 minutes), so a request is held up by a partition move for seconds, not minutes.
    /// </summary>
    private Dictionary<string, string?> Settings(string hub) => new()
    {
        [LocalHostConfigKeys.StorageConnectionString] = azurite.ConnectionString,
        [LocalHostConfigKeys.TaskHub] = hub,
        [LocalHostConfigKeys.FunctionKey] = AzuriteFixture.TestFunctionKey,
        [LocalHostConfigKeys.PartitionCount] = "4",
        [LocalHostConfigKeys.MaxQueuePollingIntervalMs] = "100",
        [LocalHostConfigKeys.LeaseIntervalSeconds] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [LocalHostConfigKeys.LeaseRenewIntervalSeconds] = "2",
        [LocalHostConfigKeys.QueueVisibilityTimeoutSeconds] = "10",
        ["Queue:Clinics"] = "",
        ["Queue:ConfirmTimeoutSeconds"] = "30",
        [$"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled"] = "true",
    };

    private static HttpClient NewHttp(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    /// <returns>The status code (0 when the instance could not be reached) and the ticket number on 200.</returns>
    private static async Task<(int Status, int Number)> EnterAsync(HttpClient http, string clinic, string user)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("api/v1/queue/enter", new { clinic, user });
            if (!response.IsSuccessStatusCode)
            {
                return ((int)response.StatusCode, 0);
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (200, body.GetProperty("number").GetInt32());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, 0);
        }
    }

    /// <summary>The worker ids that hold the task hub's partitions, from the table partition manager's table.</summary>
    private async Task<List<string>> PartitionOwnersAsync(string hub)
    {
        var table = new TableClient(azurite.ConnectionString, hub + "Partitions");
        var owners = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            owners.Add(row.GetString("CurrentOwner") ?? "(none)");
        }

        return owners;
    }
}
