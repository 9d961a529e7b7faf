using Azure.Core;
using Azure.Core.Pipeline;

namespace QueueFunctions.Tests.Support;

/// <summary>
/// Holds every request to one storage queue for <paramref name="delay"/> before it goes out, as a throttled or
/// overloaded queue answers: slow, but it takes everything. Honours the caller's cancellation, as a real request does.
/// </summary>
public sealed class SlowQueueRequests(string queueName, TimeSpan delay) : HttpPipelinePolicy
{
    private int held;

    /// <summary>Requests held so far.</summary>
    public int Held => Volatile.Read(ref held);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The app's storage calls are asynchronous.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Uri.Path.Contains($"/{queueName}/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref held);
            await Task.Delay(delay, message.CancellationToken);
        }

        await ProcessNextAsync(message, pipeline);
    }
}
