using System.Collections.Concurrent;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Load;

/// <summary>
/// Closed-loop clients: each sends an enter for a new user, waits for the answer, and sends the next one at once.
/// Runs until <see cref="StopAsync"/> (or a count of requests is reached); samples are visible while it runs, so a
/// case can react to them (e.g. wait for clinics to answer again after a kill).
/// </summary>
public sealed class ClosedLoopRun
{
    static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    readonly ConcurrentQueue<EnterSample> samples = new();
    readonly CancellationTokenSource stopSending = new();
    readonly CancellationTokenSource cutOff = new();
    readonly List<Task> clients;
    readonly Task progress;
    readonly long maxRequests;
    readonly CancellationTokenRegistration onCancel;
    long started;

    ClosedLoopRun(IEnterPath path, int clients, Func<int, string> clinicOf, string userPrefix, long maxRequests, string label, CancellationToken cancel)
    {
        this.maxRequests = maxRequests;
        Start = Measure.Now;
        onCancel = cancel.Register(cutOff.Cancel);
        this.clients = Enumerable.Range(0, clients)
            .Select(c => Task.Run(() => ClientAsync(path, c, clinicOf(c), $"{userPrefix}-{c}-"), CancellationToken.None))
            .ToList();
        progress = ProgressAsync(label);
    }

    public long Start { get; }

    /// <summary>When the last request that was not cut off ended; set by <see cref="StopAsync"/>.</summary>
    public long End { get; private set; }

    public IReadOnlyCollection<EnterSample> Samples => samples;

    /// <param name="maxRequests">Stop sending once this many requests were sent; 0: only <see cref="StopAsync"/> stops it.</param>
    public static ClosedLoopRun Begin(IEnterPath path, int clients, Func<int, string> clinicOf, string userPrefix, long maxRequests, string label, CancellationToken cancel) =>
        new(path, clients, clinicOf, userPrefix, maxRequests, label, cancel);

    /// <summary>Runs for <paramref name="duration"/> or until the request count is reached, then stops.</summary>
    public async Task RunForAsync(TimeSpan duration, TimeSpan grace)
    {
        await Task.WhenAny(Task.Delay(duration, stopSending.Token).ContinueWith(_ => { }, TaskScheduler.Default), Task.WhenAll(clients));
        await StopAsync(grace);
    }

    /// <summary>No new request; in-flight ones get <paramref name="grace"/> to end, then are cut off (counted as such).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await stopSending.CancelAsync();
        cutOff.CancelAfter(grace);
        await Task.WhenAll(clients);
        // Cut-off requests ended only because the case did: they do not stretch its length.
        var answered = samples.Where(s => s.Outcome.Status != EnterOutcome.CutOff).ToList();
        End = answered.Count == 0 ? Measure.Now : answered.Max(s => s.DoneAt);
        await cutOff.CancelAsync();
        await progress;
        await onCancel.DisposeAsync();
    }

    async Task ClientAsync(IEnterPath path, int client, string clinic, string userPrefix)
    {
        for (var seq = 0; !stopSending.IsCancellationRequested && !cutOff.IsCancellationRequested; seq++)
        {
            var attempt = Interlocked.Increment(ref started);
            if (maxRequests > 0 && attempt > maxRequests)
            {
                await stopSending.CancelAsync();
                return;
            }

            var sent = Measure.Now;
            var outcome = await path.EnterAsync(attempt, clinic, userPrefix + seq, cutOff.Token);
            samples.Enqueue(new EnterSample(clinic, userPrefix + seq, sent, Measure.Now, outcome));
            if (outcome.Status == EnterOutcome.NoAnswer)
            {
                // A refused connection answers at once: do not spin on a dead instance faster than a real client would.
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
        }
    }

    async Task ProgressAsync(string label)
    {
        while (!cutOff.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ProgressEvery, cutOff.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var all = samples.ToArray();
            var ok = all.Count(s => s.Outcome.Status == 200);
            var seconds = Measure.SecondsSince(Start);
            var other = all.Length - ok;
            Measure.Progress(Measure.Inv($"  {label}: {ok:N0} tickets in {seconds:0} s ({ok / seconds:0.0}/s){(other > 0 ? $", {other:N0} not 200" : "")}{(stopSending.IsCancellationRequested ? ", stopping" : "")}"));
        }
    }
}
