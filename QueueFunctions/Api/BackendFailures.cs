namespace QueueFunctions.Api;

/// <summary>Storage or the Durable engine could not be reached; the request changed nothing it could not repeat.</summary>
public sealed class BackendUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>The clinic's queue did not confirm a request in time. The request may still be applied; repeating it is safe.</summary>
public sealed class ConfirmationTimeoutException(string message) : Exception(message);

/// <summary>How every capability tells a failing backend from a caller that gave up.</summary>
public static class BackendFailure
{
    /// <summary>Anything but our own cancellation: a client-side timeout inside the SDK counts as the backend failing.</summary>
    public static bool Is(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
}
