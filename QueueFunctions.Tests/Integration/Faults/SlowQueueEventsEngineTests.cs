using System.Diagnostics;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using QueueFunctions.Domain;
using QueueFunctions.History;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Checks;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Faults;

/// <summary>
/// <c>queue-events</c> slow but working (3 s a request, for the clinics and their publishers) while 50 patients enter
/// one clinic at once, with the app's 10 s confirmation limit: nobody gets a 504, as a batch spends at most
/// <see cref="ClinicQueueEntity.SendBudget"/> on the queue, and every change still reaches the report.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SlowQueueEventsEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(3);

    private const int Patients = 50;

    [Fact]
    public async Task Fifty_concurrent_enters_with_a_queue_taking_3_s_a_send_get_no_504_and_all_reach_the_report()
    {
        var clinic = $"slow-{Guid.NewGuid().ToString("N")[..8]}";
        var slow = new SlowQueueRequests(QueueEventsQueue.Name, PerRequest);
        var options = new QueueClientOptions();
        options.AddPolicy(slow, Azure.Core.HttpPipelinePosition.PerCall);
        var logs = new CapturedLogs();
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(),
            settings: new Dictionary<string, string?>
            {
                ["Queue:Clinics"] = "",
                ["Queue:ConfirmTimeoutSeconds"] = "10",
            },
            logs: logs,
            sender: _ => new QueueEventsQueue(new QueueServiceClient(azurite.ConnectionString, options)));
        using var http = host.NewHttp();
        var history = host.Services.GetRequiredService<HistoryTable>();
        var day = host.Services.GetRequiredService<QueueRules>().ServiceDayOf(DateTimeOffset.UtcNow);

        // The clinic's day is open and one change already stored, so the rush's first batch has something to send.
        Assert.Equal(200, (await http.EnterAsync(clinic, "FIRST")).Status);

        var started = Stopwatch.StartNew();
        var replies = await Task.WhenAll(Enumerable.Range(1, Patients).Select(async i =>
        {
            var sent = Stopwatch.StartNew();
            var (status, _) = await http.EnterAsync(clinic, $"U{i}");
            return (Status: status, Took: sent.Elapsed);
        }));
        var answered = started.Elapsed;

        Assert.All(replies, r => Assert.Equal(200, r.Status));
        await Eventually.UntilAsync(
            () => HistoryAudit.MissingAsync(history, day, new Dictionary<string, int> { [clinic] = Patients + 1 }, []),
            m => m.Count == 0,
            TimeSpan.FromSeconds(120),
            "every ticket in the history",
            TimeSpan.FromSeconds(1));
        var reported = started.Elapsed;

        var report = (await http.GetJsonAsync($"api/v1/reports/daily?date={day:yyyy-MM-dd}&clinic={clinic}", staff: true)).Body.GetProperty("clinics")[0];
        Assert.Equal(Patients + 1, report.GetProperty("issued").GetInt32());
        var handovers = logs.Entries.Count(e => e.Message.Contains("a publisher sends them", StringComparison.Ordinal));
        var took = replies.Select(r => r.Took.TotalSeconds).Order().ToList();
        Report($"queue-events at {PerRequest.TotalSeconds:0} s a request, {Patients} concurrent enters: all 200, median {took[took.Count / 2]:0.00} s, slowest {took[^1]:0.00} s " +
               $"(limit 10 s), all answered in {answered.TotalSeconds:0.0} s; {handovers} handovers to a publisher; every ticket in the report {reported.TotalSeconds:0} s after the rush began; " +
               $"{slow.Held} requests to queue-events held");

        // Not one group fits in a batch's second: the publisher carried the changes, not the patients' batches.
        Assert.True(handovers >= 1, "No batch handed the outbox to a publisher.");
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "engine-figures.txt"), line + Environment.NewLine);
    }
}
