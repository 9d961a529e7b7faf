using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Shared.Storage;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>One storage request as Azure.Core sent it: when it left, when its answer was in, and what it touched.</summary>
/// <param name="path">The URI's path without the account, e.g. <c>hub-control-02/messages</c>, <c>hubInstances()</c>.</param>
public sealed class StorageCall(long start, string method, StorageService service, string path, string query)
{
    public long Start { get; } = start;

    public string Method { get; } = method;

    public StorageService Service { get; } = service;

    public string Path { get; } = path;

    /// <summary>The query string as Azure.Core logs it (values redacted), e.g. <c>?comp=REDACTED</c>: tells a block upload from a plain put.</summary>
    public string Query { get; } = query;

    public bool IsRead => Method is "GET" or "HEAD";

    /// <summary>When the answer was in; 0 while it is not (or never came: the client gave up).</summary>
    public long End { get; internal set; }

    public int Status { get; internal set; }

    public double Ms => End == 0 ? double.NaN : Measure.Ms(Start, End);
}

/// <summary>
/// Records every storage request of this process with its timestamps, on the benchmark's clock, while recording is on:
/// Azure.Core's "Request" and "Response"/"ErrorResponse" events, which the SDK writes on the calling thread just before
/// the request leaves and once its answer (body included) is in. The per-stage figures assign each request to the
/// stage whose time window holds it, which one client at a time makes unambiguous.
/// </summary>
public sealed class StorageTrace : EventListener
{
    readonly ConcurrentDictionary<string, StorageCall> inFlight = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<StorageCall> calls = new();

    // Set after the base constructor, which may already deliver events.
    volatile StorageEndpoints? endpoints;
    volatile bool recording;

    public StorageTrace(StorageEndpoints endpoints) => this.endpoints = endpoints;

    public bool Recording
    {
        get => recording;
        set => recording = value;
    }

    /// <summary>The requests recorded so far, in the order they were sent.</summary>
    public IReadOnlyList<StorageCall> Calls => [.. calls.OrderBy(c => c.Start)];

    public void Clear() => calls.Clear();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == StorageRequestCounter.SourceName)
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        var now = Measure.Now;
        if (!recording || StorageRequestCounter.Payload(e, "requestId") is not { } id)
        {
            return;
        }

        switch (e.EventName)
        {
            case "Request":
                var uri = StorageRequestCounter.Payload(e, "uri");
                var (path, query) = PathOf(uri);
                var call = new StorageCall(now, StorageRequestCounter.Payload(e, "method") ?? "?", endpoints?.ServiceOf(uri) ?? StorageService.Other, path, query);
                inFlight[id] = call;
                calls.Enqueue(call);
                break;
            case "Response" or "ErrorResponse":
                if (inFlight.TryRemove(id, out var done))
                {
                    done.Status = e.Payload?[e.PayloadNames!.IndexOf("status")] is int status ? status : 0;
                    done.End = now;
                }

                break;
        }
    }

    static (string Path, string Query) PathOf(string? uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return ("", "");
        }

        // Azurite puts the account first in the path; Azure has it in the host name.
        var path = Uri.UnescapeDataString(parsed.AbsolutePath).TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return (parsed.IsLoopback && slash >= 0 ? path[(slash + 1)..] : path, parsed.Query);
    }
}
