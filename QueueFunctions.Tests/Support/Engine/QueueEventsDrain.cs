using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Support.Engine;

/// <summary>
/// Takes the events of some clinics off <c>queue-events</c>, as another system consuming it would (the app's own history
/// recorder must be switched off in such a test, or it takes them first).
/// </summary>
public static class QueueEventsDrain
{
    /// <summary>Receives and deletes the clinics' messages until <paramref name="complete"/> holds for what arrived, or fails at the deadline.</summary>
    public static async Task<List<QueueEvent>> ReceiveAsync(
        string storageConnectionString, IReadOnlyCollection<string> clinics, Func<IReadOnlyList<QueueEvent>, bool> complete, TimeSpan within)
    {
        var queue = new QueueClient(storageConnectionString, QueueEventsQueue.Name);
        var received = new List<QueueEvent>();
        var deadline = DateTime.UtcNow + within;
        while (!complete(received))
        {
            Assert.True(
                DateTime.UtcNow < deadline,
                $"queue-events did not deliver every change within {within.TotalSeconds:0} s: {received.Count} messages arrived, " +
                string.Join(", ", clinics.Select(c => $"{c}: {received.Where(e => e.Clinic == c).DistinctBy(e => e.Id).Count()} distinct")));
            QueueMessage[] messages = (await queue.ExistsAsync()).Value ? (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value : [];
            if (messages.Length == 0)
            {
                await Task.Delay(100);
                continue;
            }

            foreach (var message in messages)
            {
                var change = JsonSerializer.Deserialize<QueueEvent>(message.MessageText)!;
                if (clinics.Contains(change.Clinic))
                {
                    received.Add(change);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
        }

        return received;
    }
}
