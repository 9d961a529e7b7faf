using System.Text.Json;
using Azure.Storage.Queues.Models;

namespace QueueFunctions.LocalHost.Functions;

/// <summary>Turns a queue message into the value of a [QueueTrigger] parameter, for the types the Functions worker binds.</summary>
static class QueueMessageBinder
{
    /// <summary>The worker's default serializer settings: System.Text.Json, property names matched case-insensitively.</summary>
    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Null when <paramref name="type"/> can be bound; otherwise the end of a sentence saying why not.</summary>
    public static string? WhyUnsupported(Type type)
    {
        if (type == typeof(string) || type == typeof(BinaryData) || type == typeof(byte[]) || type == typeof(QueueMessage))
        {
            return null;
        }

        if (type == typeof(object) || type.IsInterface || type.IsAbstract || type.IsPointer || type.IsByRef
            || typeof(Stream).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type) || type.ContainsGenericParameters)
        {
            return $"is {type}; the local host binds [QueueTrigger] to string, BinaryData, byte[], QueueMessage or a concrete type deserialized from JSON.";
        }

        return null;
    }

    /// <summary>The message body as the parameter's type; the client has already decoded base64 when the queue uses it.</summary>
    public static object? Bind(QueueMessage message, Type type)
    {
        if (type == typeof(QueueMessage))
        {
            return message;
        }

        if (type == typeof(BinaryData))
        {
            return message.Body;
        }

        if (type == typeof(byte[]))
        {
            return message.Body.ToArray();
        }

        if (type == typeof(string))
        {
            return message.Body.ToString();
        }

        return JsonSerializer.Deserialize(message.Body.ToMemory().Span, type, Json);
    }
}
