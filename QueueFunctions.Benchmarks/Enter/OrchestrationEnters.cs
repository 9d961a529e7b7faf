using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Enter;

/// <summary>
/// Enters of path (b): schedule the benchmark's orchestration, then wait for it, either with the client's
/// WaitForInstanceCompletionAsync or by reading the instance every <paramref name="pollEvery"/>. Also notes when the
/// engine finished each instance of the burst, apart from when the waiting client noticed.
/// </summary>
sealed class OrchestrationEnters(DurableTaskClient client, TimeSpan? pollEvery, TimeSpan cap, CancellationToken cancel)
{
    readonly List<double> engineLatency = [];
    DateTimeOffset? burstStart;
    DateTimeOffset? lastCompleted;

    /// <summary>Sent -> instance completed (its LastUpdatedAt), for the burst's enters.</summary>
    public List<double> EngineLatency => engineLatency;

    /// <summary>From the burst's first send to its last instance's completion; null before any burst enter completed.</summary>
    public double? EngineSeconds => burstStart is { } first && lastCompleted is { } last ? (last - first).TotalSeconds : null;

    public async Task<(int? Number, string? Failure)> EnterAsync(string clinic, string user)
    {
        try
        {
            var sentAt = DateTimeOffset.UtcNow;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(cap);
            var id = await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(OrchestratedEnter.Name), new OrchestratedEnterInput(clinic, user), timeout.Token);
            var done = await WaitAsync(id, timeout.Token);
            if (user.StartsWith("burst-", StringComparison.Ordinal))
            {
                NoteCompletion(sentAt, done);
            }

            return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                ? (done.ReadOutputAs<int>(), null)
                : (null, $"{done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            return (null, e.GetType().Name + ": " + e.Message);
        }
    }

    async Task<OrchestrationMetadata> WaitAsync(string id, CancellationToken timeout)
    {
        if (pollEvery is not { } every)
        {
            return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout);
        }

        while (true)
        {
            await Task.Delay(every, timeout);
            if (await client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout) is { IsCompleted: true } finished)
            {
                return finished;
            }
        }
    }

    /// <summary>When the engine itself finished the instance, apart from when the polling client noticed.</summary>
    void NoteCompletion(DateTimeOffset sentAt, OrchestrationMetadata done)
    {
        lock (engineLatency)
        {
            burstStart ??= sentAt;
            burstStart = sentAt < burstStart ? sentAt : burstStart;
            lastCompleted = lastCompleted is null || done.LastUpdatedAt > lastCompleted ? done.LastUpdatedAt : lastCompleted;
            engineLatency.Add((done.LastUpdatedAt - sentAt).TotalMilliseconds);
        }
    }
}
