using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.Domain;
using QueueFunctions.History;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Checks;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Faults;

/// <summary>
/// A clinic's publisher orchestration terminated through the client while it holds the outbox (the queue refusing its
/// sends): the changes it held and those made after it ended still reach <c>queue-events</c> and the report, once the
/// clinic notices the silence and takes its outbox back, with no further request to the clinic.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PublisherTerminationEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    /// <summary>The app watches for 5 minutes; a test cannot wait that long, and the mechanism is the same.</summary>
    private static readonly PublisherWatch Watch = new(TimeSpan.FromSeconds(15), TimeProvider.System);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Changes_still_reach_queue_events_and_the_report_after_the_publisher_is_terminated_mid_run()
    {
        var clinic = $"pub-{Guid.NewGuid().ToString("N")[..8]}";
        SwitchableQueueEvents? queue = null;
        var logs = new CapturedLogs();
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(),
            settings: new Dictionary<string, string?> { ["Queue:Clinics"] = "" },
            logs: logs,
            sender: services => queue = new SwitchableQueueEvents(services.GetRequiredService<QueueEventsQueue>()),
            publisherWatch: Watch);
        using var http = host.NewHttp();
        var history = host.Services.GetRequiredService<HistoryTable>();
        var day = host.Services.GetRequiredService<QueueRules>().ServiceDayOf(DateTimeOffset.UtcNow);

        await EnterAsync(http, clinic, 1, 5);
        await Eventually.UntilAsync(() => Missing(history, day, clinic, 5), m => m.Count == 0, Patience, "the first five tickets in the history");

        // The queue refuses: the clinic hands its outbox to a publisher, which keeps retrying.
        queue!.Down = true;
        await EnterAsync(http, clinic, 6, 10);
        var held = await Eventually.UntilAsync(() => host.StoredStateAsync(clinic), s => s?.Outbox.Publisher is not null, Patience, "a publisher to hold the outbox");
        var publisher = held!.Outbox.Publisher!.Id;
        await Eventually.UntilAsync(
            () => host.Client.GetInstanceAsync(publisher), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Running && queue.Refused > 1, Patience, "the publisher to run and be refused");

        await host.Client.TerminateInstanceAsync(publisher, "terminated by the test, mid-run");
        await Eventually.UntilAsync(() => host.Client.GetInstanceAsync(publisher), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, Patience, "the publisher to be terminated");
        var terminated = Stopwatch.StartNew();

        // The queue is back; later changes come, then nothing more.
        queue.Down = false;
        await EnterAsync(http, clinic, 11, 15);
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user = "U1", pin = held.Pin })).Status);

        await Eventually.UntilAsync(
            () => Missing(history, day, clinic, 15, done: 1), m => m.Count == 0, Watch.SilenceLimit + Patience, "every ticket in the history after the publisher ended");
        var complete = terminated.Elapsed;
        var state = await Eventually.UntilAsync(() => host.StoredStateAsync(clinic), s => s is { Outbox.IsEmpty: true }, Patience, "the outbox to drain");
        Assert.NotEqual(publisher, state!.Outbox.Publisher?.Id);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith($"Publisher {publisher} of clinic {clinic} has not been heard from", StringComparison.Ordinal));

        var report = (await http.GetJsonAsync($"api/v1/reports/daily?date={day:yyyy-MM-dd}&clinic={clinic}", staff: true)).Body.GetProperty("clinics")[0];
        Assert.Equal((15, 1), (report.GetProperty("issued").GetInt32(), report.GetProperty("done").GetInt32()));
        Report($"Publisher terminated mid-run: every change in the history {complete.TotalSeconds:0.0} s after it ended (silence limit {Watch.SilenceLimit.TotalSeconds:0} s, 5 min in the app)");
    }

    private static async Task EnterAsync(HttpClient http, string clinic, int first, int last)
    {
        for (var i = first; i <= last; i++)
        {
            Assert.Equal(200, (await http.EnterAsync(clinic, $"U{i}")).Status);
        }
    }

    private static Task<List<string>> Missing(HistoryTable history, DateOnly day, string clinic, int issued, int done = 0) =>
        HistoryAudit.MissingAsync(history, day, new Dictionary<string, int> { [clinic] = issued }, Enumerable.Range(1, done).Select(n => (clinic, n)));

    private void Report(string line)
    {
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "engine-figures.txt"), line + Environment.NewLine);
    }
}
