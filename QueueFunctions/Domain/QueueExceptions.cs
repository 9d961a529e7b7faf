namespace QueueFunctions.Domain;

/// <summary>Storage or the Durable engine could not be reached; the request changed nothing it could not repeat.</summary>
public sealed class BackendUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>The clinic's queue did not confirm a request in time. The request may still be applied; repeating it is safe.</summary>
public sealed class ConfirmationTimeoutException(string message) : Exception(message);

/// <summary>The clinic already holds <c>Queue:MaxWaiting</c> waiting tickets: no ticket was issued and nothing changed.</summary>
public sealed class QueueFullException(string clinic, int maxWaiting)
    : Exception($"Clinic '{clinic}' already has {maxWaiting} patients waiting; no more tickets can be taken there now.");
