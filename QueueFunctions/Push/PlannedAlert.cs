using QueueFunctions.Streams;

namespace QueueFunctions.Push;

/// <summary>An alert one patient is due, and the key under which it is sent once (per service day).</summary>
public sealed record PlannedAlert(string User, UserUpdateMessage Message, string OnceKey);
