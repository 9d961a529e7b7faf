using Microsoft.DurableTask.Client;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// Makes a clinic that has already issued N tickets today, quickly and outside any measurement: N enters sent
/// straight to the entity as EnterMany signals of the app's own batch size (what the app's coalescer sends under a
/// rush), then N calls that finish them all (as a long day leaves its tickets finished, not waiting) unless they are to
/// stay waiting (a clinic at its <c>Queue:MaxWaiting</c>), then a wait until they are all stored and the queue-events
/// outbox they filled has been published, so the case that follows does not measure that backlog.
/// </summary>
public static class Prefill
{
    static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(DurableTaskClient client, string clinic, int count, CancellationToken cancel, bool finish = true)
    {
        var start = Measure.Now;
        var id = ClinicStateReader.EntityIdOf(clinic);
        for (var first = 0; first < count; first += EnterCoalescer.MaxBatch)
        {
            var batch = Enumerable.Range(first, Math.Min(EnterCoalescer.MaxBatch, count - first))
                .Select(i => new EnterCommand($"prefill-{i}", $"prefill-{clinic}-{i}", DateTimeOffset.UtcNow))
                .ToList();
            await client.Entities.SignalEntityAsync(id, ClinicQueueEntity.Operations.EnterMany, batch, cancellation: cancel);
        }

        // Signals to one entity are applied in the order they were sent, so every call comes after every enter.
        const int Parallel = 32;
        for (var first = 0; finish && first < count; first += Parallel)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(Parallel, count - first)).Select(i =>
                client.Entities.SignalEntityAsync(id, ClinicQueueEntity.Operations.Call, new CallCommand($"prefill-call-{clinic}-{i}", DateTimeOffset.UtcNow), cancellation: cancel)));
        }

        using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        cap.CancelAfter(Cap);
        var lastReport = Measure.Now;
        while (true)
        {
            ClinicQueueState? state = null;
            try
            {
                state = (await client.Entities.GetEntityAsync<ClinicQueueState>(id, includeState: true, cap.Token))?.State;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A read racing the engine's swap of a large state's blob fails once; the next one succeeds.
            }

            if (state is { } s && s.LastNumber >= count && (!finish || s.WaitingCount == 0) && s.Outbox.IsEmpty)
            {
                Measure.Progress(Measure.Inv($"  {clinic}: {s.LastNumber:N0} tickets issued, {(finish ? "finished" : "left waiting")} and published in {Measure.SecondsSince(start):0} s (not measured)."));
                return;
            }

            if (Measure.Ms(lastReport, Measure.Now) > 5000)
            {
                lastReport = Measure.Now;
                Measure.Progress(Measure.Inv($"  prefilling {clinic}: {state?.LastNumber ?? 0:N0} of {count:N0} stored, {state?.WaitingCount ?? 0:N0} still waiting for their call, {state?.Outbox.Count ?? 0:N0} events still to publish{(state?.Outbox.Publishing == true ? " (by the publisher)" : "")} ..."));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cap.Token);
        }
    }
}
