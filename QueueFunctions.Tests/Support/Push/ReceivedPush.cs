using System.Text.Json;

namespace QueueFunctions.Tests.Support.Push;

/// <summary>One push the receiver took: the subscription it was for, what the patient would see, and how it answered.</summary>
public sealed record ReceivedPush(string Subscription, JsonElement Payload, int AnsweredWith)
{
    public string Type => Payload.GetProperty("type").GetString()!;
}
