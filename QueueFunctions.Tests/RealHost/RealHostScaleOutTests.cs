using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>
/// Two Functions hosts on one task hub, as two Azure instances: a burst through both numbers every clinic exactly
/// 1..n, and when one instance is stopped as the platform stops it, or crashes, the other answers for its clinics.
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
        await WaitForOwnersAsync(2, "both hosts to own partitions");

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

        TimeSpan stopped = await HeldUpWhileAsync(toA, b.StopAsync, acknowledged, "stop (SIGTERM to the host process)");
        Assert.True(stopped <= TimeSpan.FromSeconds(12), $"A stopped host's clinics were held up {stopped.TotalSeconds:0.0} s (at most 12 s expected).");

        await using FunctionsHostInstance c = await fixture.StartHostAsync(hub + "-c", settings, output.WriteLine);
        await WaitForOwnersAsync(2, "the new host to take partitions");
        TimeSpan crashed = await HeldUpWhileAsync(toA, c.KillAsync, acknowledged, "crash (SIGKILL to host and worker)");
        Assert.True(crashed <= TimeSpan.FromSeconds(150), $"A crashed host's clinics were held up {crashed.TotalSeconds:0.0} s.");

        // Whatever happened, no number was handed out twice and none was skipped.
        foreach (string clinic in Clinics)
        {
            RealHostHttp.Reply list = await toA.GetReplyAsync($"api/v1/queue/tickets?clinic={clinic}", FunctionsHostInstance.FunctionKey);
            int length = list.Body.GetProperty("length").GetInt32();
            int[] numbers = list.Body.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, length), numbers);
            int[] acked = acknowledged.Where(t => t.Clinic == clinic).Select(t => t.Number).ToArray();
            Assert.Equal(acked.Length, acked.Distinct().Count());
            Assert.All(acked, n => Assert.InRange(n, 1, length));
        }
    }

    /// <summary>
    /// Enters at every clinic through <paramref name="survivor"/>, one after another per clinic, while
    /// <paramref name="end"/> takes the other host away; returns the longest time a clinic went without an answer.
    /// </summary>
    async Task<TimeSpan> HeldUpWhileAsync(HttpClient survivor, Func<Task> end, ConcurrentBag<(string Clinic, int Number)> acknowledged, string how)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan deadline = TimeSpan.FromSeconds(how.StartsWith("crash", StringComparison.Ordinal) ? 150 : 40);
        var failures = new ConcurrentBag<int>();
        var longest = new ConcurrentDictionary<string, TimeSpan>();
        TimeSpan ended = TimeSpan.MaxValue;
        Task ending = Task.Run(async () =>
        {
            // Both hosts serve for a moment first, so the loops measure a clinic's normal pace before the gap.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await end();
            ended = clock.Elapsed;
        });
        int sent = 0;
        await Task.WhenAll(Clinics.Select(async clinic =>
        {
            TimeSpan lastAnswer = clock.Elapsed;
            bool answeredAfterEnd = false;
            for (int i = 0; !answeredAfterEnd && clock.Elapsed < deadline; i++)
            {
                Interlocked.Increment(ref sent);
                TimeSpan sentAt = clock.Elapsed;
                RealHostHttp.Reply reply;
                try
                {
                    reply = await survivor.EnterAsync(clinic, $"{how[..4].ToUpperInvariant()}_{clinic}_{i}");
                }
                catch (HttpRequestException)
                {
                    failures.Add(0);
                    continue;
                }

                if (reply.Status == 200)
                {
                    acknowledged.Add((clinic, reply.Body.GetProperty("number").GetInt32()));
                    TimeSpan gap = clock.Elapsed - lastAnswer;
                    longest.AddOrUpdate(clinic, gap, (_, held) => held > gap ? held : gap);
                    lastAnswer = clock.Elapsed;
                    answeredAfterEnd = sentAt > ended;
                }
                else
                {
                    failures.Add(reply.Status);
                }

                await Task.Delay(200);
            }
        }));
        await ending;
        TimeSpan worst = longest.Values.DefaultIfEmpty().Max();
        output.WriteLine($"{how}: the other host was gone {ended.TotalSeconds:0.0} s into the run; {sent} enters through the survivor, " +
                         $"{failures.Count} not 200 ({string.Join(", ", failures.GroupBy(s => s).Select(g => $"{g.Count()} x {g.Key}"))}); " +
                         $"longest time a clinic went unanswered: {worst.TotalSeconds:0.0} s " +
                         $"({string.Join(", ", longest.OrderByDescending(l => l.Value).Take(3).Select(l => $"{l.Key} {l.Value.TotalSeconds:0.0} s"))})");
        return worst;
    }

    async Task WaitForOwnersAsync(int owners, string what)
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
                        current.Add(partition.GetString("CurrentOwner") ?? "");
                    }
                }
                catch (Azure.RequestFailedException)
                {
                }

                return current.ToArray();
            },
            current => current.Length > 0 && current.All(o => o.Length > 0) && current.Distinct().Count() == owners,
            TimeSpan.FromSeconds(90),
            what,
            TimeSpan.FromMilliseconds(500));
        output.WriteLine($"{what}: after {clock.Elapsed.TotalSeconds:0} s, partitions owned by {string.Join(", ", seen.GroupBy(o => o).Select(g => $"{g.Key} ({g.Count()})"))}");
    }
}
