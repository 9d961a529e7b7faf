namespace QueueFunctions.Domain;

/// <summary>The clinic already holds <c>Queue:MaxWaiting</c> waiting tickets: no ticket was issued and nothing changed.</summary>
public sealed class QueueFullException(string clinic, int maxWaiting)
    : Exception($"Clinic '{clinic}' already has {maxWaiting} patients waiting; no more tickets can be taken there now.");
