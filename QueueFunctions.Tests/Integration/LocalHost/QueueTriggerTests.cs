using System.Net;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Engine.Sample;

namespace QueueFunctions.Tests.Integration.LocalHost;

/// <summary>Queue-triggered functions on the local host, against real queues in Azurite.</summary>
[Collection(EngineCollection.Name)]
public sealed class QueueTriggerTests(AzuriteFixture azurite)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>A client as the app writes: plain text, as host.json's messageEncoding "none" says.</summary>
    QueueClient Queue(string name)
    {
        var queue = new QueueClient(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        queue.CreateIfNotExists();
        return queue;
    }

    static async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    [Fact]
    public async Task AMessageOnTheQueueNamedBySettingsIsProcessedAndDeleted()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        QueueClient queue = Queue($"{hub}-text"); // "%Sample:QueuePrefix%-text" with the prefix set to the task hub
        await using LocalQueueHost host = await azurite.StartHostAsync(hub);
        var recorder = host.Services.GetRequiredService<TriggerRecorder>();

        await queue.SendMessageAsync("Amal");

        await Eventually.TrueAsync(() => recorder.Greetings.Contains("Hello, Amal!"), Deadline, "the function to receive the message text");
        await Eventually.TrueAsync(async () => await CountAsync(queue) == 0, Deadline, "the processed message to be deleted");
        Assert.Equal(["Hello, Amal!"], recorder.Greetings);
    }

    [Fact]
    public async Task AJsonMessageIsBoundToTheFunctionsRecordAndTheFunctionGetsTheDurableClient()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        QueueClient queue = Queue($"{hub}-items");
        await using LocalQueueHost host = await azurite.StartHostAsync(hub);
        var recorder = host.Services.GetRequiredService<TriggerRecorder>();

        await queue.SendMessageAsync("""{"id":"w-1","count":3}""");

        await Eventually.TrueAsync(() => !recorder.Items.IsEmpty, Deadline, "the function to receive the item");
        Assert.Equal(new WorkItem("w-1", 3), Assert.Single(recorder.Items));
        TallyState tally = (await Eventually.UntilAsync(
            async () => (await host.Client.Entities.GetEntityAsync<TallyState>(new EntityInstanceId(TallyEntity.Name, SampleTriggerFunctions.QueuedTallyKey)))?.State,
            s => s?.Count == 1,
            Deadline,
            "the function's entity signal"))!;
        Assert.Equal(["w-1"], tally.Ids);
        await Eventually.TrueAsync(async () => await CountAsync(queue) == 0, Deadline, "the processed message to be deleted");
    }

    [Fact]
    public async Task AMessageWhoseFunctionAlwaysFailsGoesToThePoisonQueueAfterFiveAttemptsAndAnErrorIsLogged()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        QueueClient queue = Queue($"{hub}-failing");
        QueueClient poison = Queue($"{hub}-failing-poison");
        var logs = new CapturedLogs();

        // host.json waits 30 s between attempts; the app setting override (as on Azure) makes the test quick.
        await using LocalQueueHost host = await azurite.StartHostAsync(
            hub,
            settings: new Dictionary<string, string?> { ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00" },
            logs: logs);
        var recorder = host.Services.GetRequiredService<TriggerRecorder>();

        await queue.SendMessageAsync("""{"bad":true}""");

        // Logged once the message is in the poison queue and gone from its own.
        await Eventually.TrueAsync(
            () => logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("poison queue", StringComparison.Ordinal) && e.Message.Contains($"{hub}-failing-poison", StringComparison.Ordinal)),
            Deadline,
            "an error saying the message went to the poison queue");
        PeekedMessage poisoned = Assert.Single((await poison.PeekMessagesAsync(maxMessages: 10)).Value);
        Assert.Equal("""{"bad":true}""", poisoned.Body.ToString());
        Assert.Equal(0, await CountAsync(queue));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], recorder.FailedDequeueCounts.Order());

        CapturedLogs.Entry[] failures = logs.Entries.Where(e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException).ToArray();
        Assert.Equal(5, failures.Length);
        Assert.All(failures, f => Assert.Contains("SampleFailingQueue", f.Message));
        Assert.Contains(failures, f => f.Message.Contains("dequeue count 5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADisabledFunctionLeavesItsMessageInTheQueueAndADisabledHttpFunctionIsNotFound()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        QueueClient texts = Queue($"{hub}-text");
        QueueClient items = Queue($"{hub}-items");
        await texts.SendMessageAsync("Nour");

        await using LocalQueueHost host = await azurite.StartHostAsync(
            hub,
            settings: new Dictionary<string, string?>
            {
                [FunctionSwitches.DisabledKey("SampleTextQueue")] = "true",
                [FunctionSwitches.DisabledKey("SampleMinimal")] = "1",
            });
        var recorder = host.Services.GetRequiredService<TriggerRecorder>();

        // The host is polling: a message sent later to an enabled function's queue is processed.
        await items.SendMessageAsync("""{"id":"live","count":1}""");
        await Eventually.TrueAsync(() => !recorder.Items.IsEmpty, Deadline, "the enabled function to run");

        PeekedMessage waiting = Assert.Single((await texts.PeekMessagesAsync(maxMessages: 10)).Value);
        Assert.Equal("Nour", waiting.Body.ToString());
        Assert.Equal(0, waiting.DequeueCount);
        Assert.Empty(recorder.Greetings);

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using HttpResponseMessage minimal = await http.GetAsync("samples/minimal/21");
        Assert.Equal(HttpStatusCode.NotFound, minimal.StatusCode);
    }
}
