using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.Domain;
using QueueFunctions.History;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Checks;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Outages;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Faults;

/// <summary>
/// The table service unreachable for 90 s under a steady flow of enters and dones (blobs and queues still answer), with
/// the app's own host.json: the history recorder's messages fail while the table is away, and once it is back every
/// ticket the clinics issued, and every DONE a patient was told of, is in the day's history and report.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed partial class TableOutageEngineTests(ITestOutputHelper output)
{
    private static readonly string[] Clinics = ["lab", "xray", "eyes"];

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_90_s_table_outage_during_traffic_leaves_every_ticket_in_the_days_report()
    {
        var total = Stopwatch.StartNew();
        await using var storage = await PrivateAzurite.StartAsync("tables");
        var logs = new CapturedLogs();
        await using var host = await QueueAppHost.StartQueueAppAsync(
            storage.ConnectionString,
            AzuriteFixture.NewTaskHubName(),
            settings: new Dictionary<string, string?>
            {
                ["Queue:ConfirmTimeoutSeconds"] = "10",
                ["Limits:Enabled"] = "false",
                // Whatever the recorder gives up on comes back within seconds, not the app's 5 minutes.
                ["History:PoisonReplaySchedule"] = "*/5 * * * * *",
            },
            logs: logs,
            publisherWatch: new PublisherWatch(TimeSpan.FromSeconds(30), TimeProvider.System));
        using var http = host.NewHttp();

        var pins = (await http.GetJsonAsync("api/v1/pin/status", staff: true)).Body.GetProperty("pins");
        var traffic = new OutageTraffic(http, Clinics, Clinics.ToDictionary(c => c, c => pins.GetProperty(c).GetString()!));
        using var stop = new CancellationTokenSource();
        var flow = traffic.RunAsync(enterLoops: 4, stop.Token);
        await Eventually.TrueAsync(() => traffic.Acknowledged.Count >= 60 && traffic.Finished.Count >= 10, TimeSpan.FromSeconds(60), "a steady flow before the outage");

        var cut = traffic.Now;
        await storage.CutTablesAsync();
        await Task.Delay(Outage); // the outage itself, not a wait for anything
        storage.RestoreTables();
        var back = traffic.Now;

        var acknowledgedAtRecovery = traffic.Acknowledged.Count;
        await Eventually.TrueAsync(() => traffic.Acknowledged.Count >= acknowledgedAtRecovery + 60, TimeSpan.FromSeconds(90), "the flow to go on after the table came back");
        await stop.CancelAsync();
        await flow;

        // The clinics' numbers are final once the task hub has no message left (a signal taken before the outage comes
        // back only when its lease ends).
        await TaskHubQueues.WaitUntilIdleAsync(storage.ConnectionString, host.TaskHubName, TimeSpan.FromSeconds(120));
        var issued = new Dictionary<string, int>();
        foreach (var clinic in Clinics)
        {
            issued[clinic] = (await host.StoredStateAsync(clinic))!.LastNumber;
        }

        var history = host.Services.GetRequiredService<HistoryTable>();
        var day = host.Services.GetRequiredService<QueueRules>().ServiceDayOf(DateTimeOffset.UtcNow);
        var finished = traffic.Finished.Values.Select(f => (f.Clinic, f.Number)).ToList();
        await Eventually.UntilAsync(
            () => HistoryAudit.MissingAsync(history, day, issued, finished), missing => missing.Count == 0, TimeSpan.FromSeconds(120), "every ticket in the history", TimeSpan.FromSeconds(1));
        var complete = traffic.Now;

        var failures = logs.Entries.Where(e => e.Level == LogLevel.Error && e.Message.Contains($"Function {RecordQueueEventFunction.Name} failed", StringComparison.Ordinal)).ToList();
        var attempts = failures.Select(f => int.Parse(DequeueCount().Match(f.Message).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var poisoned = logs.Entries.Count(e => e.Message.Contains("moved to the poison queue", StringComparison.Ordinal));
        var window = traffic.Attempts.Where(a => a.Sent >= cut && a.Sent <= back).ToList();
        Report($"Table unreachable {(back - cut).TotalSeconds:0} s under traffic: {window.Count} requests in it " +
               $"({string.Join(", ", window.GroupBy(a => (a.Kind, a.Status)).OrderBy(g => g.Key).Select(g => $"{g.Key.Kind} {g.Key.Status} x{g.Count()}"))}); " +
               $"the recorder failed {failures.Count} times, at most {(attempts.Count == 0 ? 0 : attempts.Max())} attempts for one message " +
               $"(host.json maxDequeueCount 5), {poisoned} messages poisoned; " +
               $"{issued.Values.Sum()} tickets, {finished.Count} dones told; history complete {(complete - back).TotalSeconds:0} s after the table came back; " +
               $"whole test {total.Elapsed.TotalSeconds:0} s");

        var report = (await http.GetJsonAsync($"api/v1/reports/daily?date={day:yyyy-MM-dd}", staff: true)).Body.GetProperty("clinics")
            .EnumerateArray().ToDictionary(c => c.GetProperty("clinic").GetString()!);
        foreach (var clinic in Clinics)
        {
            Assert.Equal(issued[clinic], report[clinic].GetProperty("issued").GetInt32());
            Assert.True(
                report[clinic].GetProperty("done").GetInt32() >= finished.Count(f => f.Clinic == clinic),
                $"{clinic}: the report counts {report[clinic].GetProperty("done")} done, patients were told {finished.Count(f => f.Clinic == clinic)}");
        }

        // host.json's 30 s between attempts rides the outage out: no message needs the replay, and none is left behind.
        Assert.Equal(0, poisoned);
        var poison = new Azure.Storage.Queues.QueueClient(storage.ConnectionString, PoisonQueueEvents.QueueName);
        Assert.Equal(0, (await poison.ExistsAsync()).Value ? (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0);
    }

    [GeneratedRegex(@"dequeue count (\d+)")]
    private static partial Regex DequeueCount();

    private void Report(string line)
    {
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "engine-figures.txt"), line + Environment.NewLine);
    }
}
