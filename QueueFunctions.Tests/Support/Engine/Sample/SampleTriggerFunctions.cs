using System.Collections.Concurrent;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;

namespace QueueFunctions.Tests.Support.Engine.Sample;

public sealed record WorkItem(string Id, int Count);

/// <summary>What the sample's queue and timer functions were given, for the tests to read (one per host).</summary>
public sealed class TriggerRecorder
{
    public ConcurrentQueue<string> Greetings { get; } = new();

    public ConcurrentQueue<WorkItem> Items { get; } = new();

    public ConcurrentQueue<long> FailedDequeueCounts { get; } = new();

    public ConcurrentQueue<TimerInfo> Ticks { get; } = new();
}

/// <summary>Queue- and timer-triggered functions written as the app writes them; queue names and the schedule come from settings.</summary>
public sealed class SampleTriggerFunctions(TriggerRecorder recorder, GreetingFormatter greetings)
{
    public const string QueuePrefixSetting = "Sample:QueuePrefix";
    public const string TimerScheduleSetting = "Sample:TimerSchedule";
    public const string QueuedTallyKey = "queued";

    [Function("SampleTextQueue")]
    public Task GreetAsync([QueueTrigger("%Sample:QueuePrefix%-text")] string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        recorder.Greetings.Enqueue(greetings.Format(name));
        return Task.CompletedTask;
    }

    [Function("SampleItemQueue")]
    public async Task RecordItemAsync(
        [QueueTrigger("%Sample:QueuePrefix%-items", Connection = "AzureWebJobsStorage")] WorkItem item,
        [DurableClient] DurableTaskClient client,
        FunctionContext? context)
    {
        recorder.Items.Enqueue(item);
        await client.Entities.SignalEntityAsync(new EntityInstanceId(TallyEntity.Name, QueuedTallyKey), nameof(TallyEntity.Add), item.Id);
    }

    [Function("SampleFailingQueue")]
    public static void AlwaysFail([QueueTrigger("%Sample:QueuePrefix%-failing")] QueueMessage message, TriggerRecorder recorder)
    {
        recorder.FailedDequeueCounts.Enqueue(message.DequeueCount);
        throw new InvalidOperationException($"Sample failure on '{message.Body}'.");
    }

    [Function("SampleTimer")]
    public Task TickAsync([TimerTrigger("%Sample:TimerSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        recorder.Ticks.Enqueue(timer);
        return Task.CompletedTask;
    }
}
