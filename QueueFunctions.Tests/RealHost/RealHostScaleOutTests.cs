using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>
/// Two Functions hosts on one task hub, as two Azure instances: a burst through both numbers every clinic exactly
/// 1..n, and when the instance that runs the clinics is stopped as the platform stops it, or crashes, the other takes
/// them over.
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class RealHostScaleOutTests(RealHostFixture fixture, ITestOutputHelper output)
{
    static readonly string[] Clinics = ["lab", "xray", "eyes", "internal", "ent", "dental", "bones", "ecg"];

    readonly string hub = "RealHostScale" + Guid.NewGuid().ToString("N")[..6];

    [RealHostFact]
    public async Task Two_hosts_share_a_burst_without_duplicates_or_gaps_and_take_over_a_stopped_or_crashed_host_s_clinics()
    {
        // No timer schedule settings here, as a deployment that sets none: the timers take their defaults.
        var settings = RealHostFixture.Settings(new Dictionary<string, string>
        {
            ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = hub,
            ["History:TableName"] = "history" + hub,
            ["Limits:Enabled"] = "false",
        }).Where(s => !TimerSchedules.Defaults.ContainsKey(s.Key)).ToDictionary();
        await using FunctionsHostInstance a = await fixture.StartHostAsync(hub + "-a", settings, output.WriteLine);
        await using FunctionsHostInstance b = await fixture.StartHostAsync(hub + "-b", settings, output.WriteLine);
        using HttpClient toA = a.NewHttp(), toB = b.NewHttp();
        RealHostHttp.Reply state = await toA.GetReplyAsync("admin/host/status", FunctionsHostInstance.MasterKey);
        Assert.False(state.Body.TryGetProperty("errors", out var errors), "Host errors without timer settings: " + errors);
        foreach (var (timer, schedule) in new[] { ("CleanUpHistory", TimerSchedules.CleanUpHistoryDefault), ("PurgeFinishedOrchestrations", TimerSchedules.PurgeFinishedOrchestrationsDefault) })
        {
            RealHostHttp.Reply function = await toA.GetReplyAsync($"admin/functions/{timer}", FunctionsHostInstance.MasterKey);
            Assert.Equal(schedule, function.Body.GetProperty("config").GetProperty("bindings")[0].GetProperty("schedule").GetString());
        }
        string owner = await WaitForOwnerAsync([a, b], "a host to own the clinics' partitions");

        var acknowledged = new ConcurrentBag<(string Clinic, int Number)>();
        var burst = Clinics.SelectMany(c => Enumerable.Range(1, 40).Select(i => (Clinic: c, User: $"BURST_{c}_{i}", Via: i % 2 == 0 ? toA : toB))).ToArray();
        await Parallel.ForEachAsync(burst, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (r, _) =>
        {
            RealHostHttp.Reply reply = await r.Via.EnterAsync(r.Clinic, r.User);
            Assert.True(reply.Status == 200, $"{r.User}: {reply.Status} {reply.Body}");
            acknowledged.Add((r.Clinic, reply.Body.GetProperty("number").GetInt32()));
        });
        foreach (string clinic in Clinics)
        {
            Assert.Equal(Enumerable.Range(1, 40), acknowledged.Where(t => t.Clinic == clinic).Select(t => t.Number).Order());
        }

        output.WriteLine($"Burst of {burst.Length} enters through both hosts: every clinic numbered exactly 1..40");

        // The host that runs the clinics is the one whose going away matters: the other must take them over.
        var (stopping, survivor, toSurvivor) = IsOwner(owner, a) ? (a, b, toB) : (b, a, toA);
        TimeSpan stopped = await HeldUpWhileAsync(toSurvivor, stopping.StopAsync, acknowledged, "stop (SIGTERM to the host process)");
        Assert.True(stopped <= TimeSpan.FromSeconds(12), $"A stopped host's clinics were held up {stopped.TotalSeconds:0.0} s (at most 12 s expected).");

        await using FunctionsHostInstance c = await fixture.StartHostAsync(hub + "-c", settings, output.WriteLine);
        using HttpClient toC = c.NewHttp();
        owner = await WaitForOwnerAsync([survivor, c], "the partitions to settle with the new host");
        var (crashing, last, toLast) = IsOwner(owner, c) ? (c, survivor, toSurvivor) : (survivor, c, toC);
        TimeSpan crashed = await HeldUpWhileAsync(toLast, crashing.KillAsync, acknowledged, "crash (SIGKILL to host and worker)");
        Assert.True(crashed <= TimeSpan.FromSeconds(150), $"A crashed host's clinics were held up {crashed.TotalSeconds:0.0} s.");
        output.WriteLine($"The clinics outlived their host twice; {last.InstanceId} answers for them now");

        // Whatever happened, no number was handed out twice and none was skipped.
        foreach (string clinic in Clinics)
        {
            RealHostHttp.Reply list = await toLast.GetReplyAsync($"api/v1/queue/tickets?clinic={clinic}", FunctionsHostInstance.FunctionKey);
            int length = list.Body.GetProperty("length").GetInt32();
            int[] numbers = list.Body.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, length), numbers);
            int[] acked = acknowledged.Where(t => t.Clinic == clinic).Select(t => t.Number).ToArray();
            Assert.Equal(acked.Length, acked.Distinct().Count());
            Assert.All(acked, n => Assert.InRange(n, 1, length));
        }
    }

    /// <summary>
    /// Sends an enter to every clinic through <paramref name="survivor"/> every 250 ms, without waiting for the one before,
    /// while <paramref name="end"/> takes the other host away; returns the longest time a clinic went without answering
    /// any of them. A request whose signal the departing host had already taken waits for that message to come back
    /// (the control queue's visibility timeout) and answers 504 at the confirmation limit; it is counted apart, since
    /// the clinic answers the requests sent after it.
    /// </summary>
    async Task<TimeSpan> HeldUpWhileAsync(HttpClient survivor, Func<Task> end, ConcurrentBag<(string Clinic, int Number)> acknowledged, string how)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan deadline = TimeSpan.FromSeconds(how.StartsWith("crash", StringComparison.Ordinal) ? 120 : 60);
        TimeSpan ended = TimeSpan.MaxValue;
        Task ending = Task.Run(async () =>
        {
            // Both hosts serve for a moment first, so every clinic has answered before the gap.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await end();
            ended = clock.Elapsed;
        });
        var replies = new ConcurrentBag<(string Clinic, TimeSpan Sent, TimeSpan Answered, int Status)>();
        var sending = new List<Task>();
        int n = 0;
        while (clock.Elapsed < deadline && !AnsweredAfterEnd())
        {
            foreach (string clinic in Clinics)
            {
                string user = $"{how[..4].ToUpperInvariant()}_{clinic}_{n}";
                TimeSpan sent = clock.Elapsed;
                sending.Add(Task.Run(async () =>
                {
                    int status;
                    try
                    {
                        RealHostHttp.Reply reply = await survivor.EnterAsync(clinic, user);
                        status = reply.Status;
                        if (status == 200)
                        {
                            acknowledged.Add((clinic, reply.Body.GetProperty("number").GetInt32()));
                        }
                    }
                    catch (HttpRequestException)
                    {
                        status = 0;
                    }

                    replies.Add((clinic, sent, clock.Elapsed, status));
                }));
            }

            n++;
            await Task.Delay(250);
        }

        await Task.WhenAll(sending);
        await ending;

        var longest = Clinics.ToDictionary(c => c, c =>
        {
            TimeSpan[] answers = replies.Where(r => r.Clinic == c && r.Status == 200).Select(r => r.Answered).Order().ToArray();
            return answers.Zip(answers.Skip(1), (a, b) => b - a).DefaultIfEmpty(clock.Elapsed).Max();
        });
        TimeSpan worst = longest.Values.Max();
        var failed = replies.Where(r => r.Status != 200).ToArray();
        TimeSpan slowest = replies.Max(r => r.Answered - r.Sent);
        output.WriteLine($"{how}: the other host was gone {ended.TotalSeconds:0.0} s into the run; {replies.Count} enters through the survivor, " +
                         $"{failed.Length} not 200 ({string.Join(", ", failed.GroupBy(r => r.Status).Select(g => $"{g.Count()} x {g.Key}"))}); " +
                         $"longest time a clinic went unanswered: {worst.TotalSeconds:0.0} s " +
                         $"({string.Join(", ", longest.OrderByDescending(l => l.Value).Take(3).Select(l => $"{l.Key} {l.Value.TotalSeconds:0.0} s"))}); " +
                         $"slowest single request {slowest.TotalSeconds:0.0} s");
        return worst;

        // Every clinic has answered a request sent after the other host was gone.
        bool AnsweredAfterEnd() =>
            ending.IsCompleted && Clinics.All(c => replies.Any(r => r.Clinic == c && r.Status == 200 && r.Sent > ended));
    }

    /// <summary>The Durable worker id of a host: the one the host derives from its instance id, as each Azure instance has its own.</summary>
    static bool IsOwner(string owner, FunctionsHostInstance host) => owner.EndsWith(":" + host.InstanceId, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Waits until every partition of the task hub has a settled owner among <paramref name="hosts"/>, and returns the
    /// one that owns the most (with host.json's single partition, the host that runs every clinic).
    /// </summary>
    async Task<string> WaitForOwnerAsync(FunctionsHostInstance[] hosts, string what)
    {
        var table = new TableClient(fixture.Azurite.ConnectionString, hub + "Partitions");
        var clock = Stopwatch.StartNew();
        string[] seen = await Eventually.UntilAsync(
            async () =>
            {
                var current = new List<string>();
                try
                {
                    await foreach (TableEntity partition in table.QueryAsync<TableEntity>())
                    {
                        // Moving (a next owner named, or draining) is not settled.
                        bool moving = !string.IsNullOrEmpty(partition.GetString("NextOwner")) || (partition.GetBoolean("IsDraining") ?? false);
                        current.Add(moving ? "" : partition.GetString("CurrentOwner") ?? "");
                    }
                }
                catch (Azure.RequestFailedException)
                {
                }

                return current.ToArray();
            },
            current => current.Length > 0 && current.All(o => hosts.Any(h => IsOwner(o, h))),
            TimeSpan.FromSeconds(90),
            what,
            TimeSpan.FromMilliseconds(500));
        output.WriteLine($"{what}: after {clock.Elapsed.TotalSeconds:0} s, partitions owned by {string.Join(", ", seen.GroupBy(o => o).Select(g => $"{g.Key} ({g.Count()})"))}");
        return seen.GroupBy(o => o).OrderByDescending(g => g.Count()).First().Key;
    }
}
