using System.Text.Json;
using QueueFunctions.Api;
using QueueFunctions.Domain;

namespace QueueFunctions.History;

/// <summary>A <c>queue-events</c> message read back as the change it carries.</summary>
public static class QueueEventMessage
{
    /// <exception cref="FormatException">The message is not a queue event; retrying will not help, and the poison queue keeps it.</exception>
    public static QueueEvent Parse(string message)
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

    public static bool IsQueueEvent(string message)
    {
        try
        {
            Parse(message);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
