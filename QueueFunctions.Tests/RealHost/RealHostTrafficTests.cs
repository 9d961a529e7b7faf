using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using QueueFunctions.Tests.Support;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>
/// A thousand patients through the Functions host: the queue trigger records every change in the history, nothing
/// is poisoned, and what the host logs for them stays small and free of the Azure SDK's per-call lines.
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class RealHostTrafficTests(RealHostFixture fixture, ITestOutputHelper output)
{
    const int TicketsPerClinic = 125;

    [RealHostFact]
    public async Task A_thousand_tickets_all_reach_the_report_none_is_poisoned_and_the_log_holds_no_azure_sdk_call()
    {
        using HttpClient http = fixture.Host.NewHttp();
        string[] clinics = RealHostFixture.TrafficClinics;
        int logStart = HostLogEntries.Parse(fixture.Host.Log()).Count;
        var clock = Stopwatch.StartNew();

        var users = clinics.SelectMany(c => Enumerable.Range(1, TicketsPerClinic).Select(i => (Clinic: c, User: $"{c.ToUpperInvariant()}_{i}"))).ToArray();
        var entered = new List<(string Clinic, string User, int Number)>();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (u, _) =>
        {
            RealHostHttp.Reply reply = await http.EnterAsync(u.Clinic, u.User);
            Assert.True(reply.Status == 200, $"enter {u.User}: {reply.Status} {reply.Body}");
            lock (entered)
            {
                entered.Add((u.Clinic, u.User, reply.Body.GetProperty("number").GetInt32()));
            }
        });
        foreach (string clinic in clinics)
        {
            Assert.Equal(Enumerable.Range(1, TicketsPerClinic), entered.Where(e => e.Clinic == clinic).Select(e => e.Number).Order());
        }

        output.WriteLine($"{users.Length} enters over {clinics.Length} clinics in {clock.Elapsed.TotalSeconds:0.0} s");

        Dictionary<string, string> pins = [];
        foreach (string clinic in clinics)
        {
            pins[clinic] = await http.PinAsync(clinic);
        }

        var finishing = entered.Where(e => e.Number % 2 == 0).ToArray();
        await Parallel.ForEachAsync(finishing, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (e, _) =>
        {
            RealHostHttp.Reply reply = await http.PostReplyAsync("api/v1/queue/done", new { clinic = e.Clinic, user = e.User, pin = pins[e.Clinic] });
            Assert.True(reply.Status == 200, $"done {e.User}: {reply.Status} {reply.Body}");
        });
        var served = clock.Elapsed;
        output.WriteLine($"{finishing.Length} dones; all requests answered after {served.TotalSeconds:0.0} s");

        // Every TICKET_ISSUED and TICKET_DONE went through queue-events and the queue trigger into the history.
        int expectedDone = TicketsPerClinic / 2;
        JsonElement[] report = await Eventually.UntilAsync(
            async () => (await http.GetReplyAsync("api/v1/reports/daily", FunctionsHostInstance.FunctionKey)).Body.GetProperty("clinics").EnumerateArray()
                .Where(c => clinics.Contains(c.GetProperty("clinic").GetString())).ToArray(),
            rows => rows.Length == clinics.Length && rows.All(r => r.GetProperty("issued").GetInt32() == TicketsPerClinic && r.GetProperty("done").GetInt32() == expectedDone),
            TimeSpan.FromSeconds(60),
            $"every clinic's report to show {TicketsPerClinic} issued and {expectedDone} done",
            TimeSpan.FromMilliseconds(250));
        output.WriteLine($"The report counted every change {(clock.Elapsed - served).TotalSeconds:0.0} s after the last reply");
        Assert.All(report, r => Assert.Equal((TicketsPerClinic - expectedDone, 0), (r.GetProperty("stillWaiting").GetInt32(), r.GetProperty("clearedByReset").GetInt32())));

        // A reset at the end of the day leaves the clinic empty: its waiting tickets were abandoned, not still waiting.
        string resetClinic = clinics[0];
        Assert.Equal(200, (await http.PostReplyAsync("api/v1/queue/reset", new { clinic = resetClinic }, FunctionsHostInstance.FunctionKey)).Status);
        JsonElement afterReset = await Eventually.UntilAsync(
            async () => (await http.GetReplyAsync($"api/v1/reports/daily?clinic={resetClinic}", FunctionsHostInstance.FunctionKey)).Body.GetProperty("clinics")[0],
            r => r.GetProperty("clearedByReset").GetInt32() > 0,
            TimeSpan.FromSeconds(60),
            $"the report of {resetClinic} to count the tickets its reset cleared",
            TimeSpan.FromMilliseconds(250));
        Assert.Equal((0, TicketsPerClinic - expectedDone), (afterReset.GetProperty("stillWaiting").GetInt32(), afterReset.GetProperty("clearedByReset").GetInt32()));

        var queues = new QueueServiceClient(fixture.Azurite.ConnectionString);
        QueueClient poison = queues.GetQueueClient("queue-events-poison");
        int poisoned = await poison.ExistsAsync() ? (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        Assert.Equal(0, poisoned);

        IReadOnlyList<HostLogEntry> entries = HostLogEntries.Parse(fixture.Host.Log()).Skip(logStart).ToArray();
        int tickets = users.Length;
        output.WriteLine($"The host logged {entries.Count} entries for {tickets} tickets and {finishing.Length} dones: " +
                         $"{entries.Count * 1000.0 / tickets:0} per 1,000 tickets; by category:");
        foreach (var group in entries.GroupBy(e => System.Text.RegularExpressions.Regex.Replace(e.Category, @"^Function\.\w+", "Function.<Name>")).OrderByDescending(g => g.Count()).Take(8))
        {
            output.WriteLine($"  {group.Count() * 1000.0 / tickets,8:0} per 1,000  {group.Key}");
        }

        HostLogEntry[] sdkCalls = entries.Where(e => e.IsAzureSdkCall).ToArray();
        Assert.True(sdkCalls.Length == 0, $"{sdkCalls.Length} Azure SDK call lines reached the host log, e.g.:\n{sdkCalls.FirstOrDefault()?.Message}");
        Assert.DoesNotContain(entries, e => e.Level is "fail" or "crit");
    }
}
