using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using QueueFunctions.Api;
using QueueFunctions.Entities;
using QueueFunctions.Queueing;

namespace QueueFunctions.History;

/// <summary>
/// Keeps every queue change in the day's history. Delivery is at least once and not ordered; the table write is
/// idempotent, so a repeat costs one write and changes nothing. A message that keeps failing goes to
/// <c>queue-events-poison</c> after the host's retries (host.json <c>maxDequeueCount</c>), with an error logged.
/// </summary>
public sealed class RecordQueueEventFunction(HistoryTable history, ILogger<RecordQueueEventFunction> logger)
{
    public const string Name = "RecordQueueEvent";

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(QueueEventsQueue.Name, Connection = ServiceCollectionExtensions.StorageConnection)] string message,
        CancellationToken cancellationToken)
    {
        var change = Parse(message);
        if (!await history.RecordAsync(change, cancellationToken))
        {
            logger.LogWarning("Queue event {Id} of type {Type} is not kept in the history", change.Id, change.Type);
        }
    }

    /// <exception cref="FormatException">The message is not a queue event; retrying will not help, and the poison queue keeps it.</exception>
    private static QueueEvent Parse(string message)
    {
        try
        {
            var change = JsonSerializer.Deserialize<QueueEvent>(message, ApiResult.Json);
            if (change is { Clinic.Length: > 0, Type.Length: > 0, Id.Length: > 0 })
            {
                return change;
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("A queue-events message is not valid JSON.", ex);
        }

        throw new FormatException("A queue-events message lacks its id, clinic or type.");
    }
}
