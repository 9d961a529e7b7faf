using Azure.Storage.Queues;

namespace QueueFunctions.Tests.Support.Engine;

/// <summary>The Durable task hub's storage queues (control and work item queues), for knowing when the engine has nothing left to do.</summary>
public static class TaskHubQueues
{
    /// <summary>
    /// Waits until none of the task hub's queues holds a message, visible or not: signals still on their way, messages
    /// that came back after a failed attempt and durable timers all count. Only then does a stored state stay as read.
    /// A clinic that started a publisher schedules a check for the end of its <c>PublisherWatch</c> limit (5 minutes in
    /// the app): a test that waits here starts the app with a short watch.
    /// </summary>
    public static async Task WaitUntilIdleAsync(string storageConnectionString, string taskHub, TimeSpan within)
    {
        var service = new QueueServiceClient(storageConnectionString);
        var deadline = DateTime.UtcNow + within;
        var waiting = new Dictionary<string, int>();
        while (true)
        {
            waiting.Clear();
            await foreach (var queue in service.GetQueuesAsync(prefix: taskHub.ToLowerInvariant() + "-"))
            {
                var count = (await service.GetQueueClient(queue.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                if (count > 0)
                {
                    waiting[queue.Name] = count;
                }
            }

            if (waiting.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The task hub's queues still hold messages after {within.TotalSeconds:0} s: {string.Join(", ", waiting.Select(w => $"{w.Key} {w.Value}"))}");
            await Task.Delay(200);
        }
    }
}
