using Azure.Core;
using Azure.Core.Pipeline;

namespace QueueFunctions.Tests.Support;

/// <summary>
/// Counts the requests a storage client sends. Added per retry, it sees every attempt, which is what storage bills as a
/// transaction, and nothing another client sends (the engine's own polling of the same account, for instance).
/// </summary>
public sealed class CountedStorageRequests : HttpPipelinePolicy
{
    private long sent;

    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Client options with this counter in their pipeline.</summary>
    public T AddTo<T>(T options)
        where T : ClientOptions
    {
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref sent);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref sent);
        return ProcessNextAsync(message, pipeline);
    }
}
