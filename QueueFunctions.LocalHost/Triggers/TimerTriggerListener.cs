using Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.LocalHost.Triggers;

/// <summary>
/// Runs one [TimerTrigger] function as the Functions host does: only while this host holds the timer's lock; at start a
/// past-due run if an occurrence was missed while no host ran it (else the RunOnStartup run, if asked); then each
/// occurrence of the schedule, in the host TimeProvider's time zone. A failing run is logged and the schedule goes on.
/// </summary>
sealed class TimerTriggerListener(
    TriggeredFunctionInvoker invoker,
    TimerSchedule schedule,
    bool runOnStartup,
    bool useMonitor,
    TimerLock timerLock,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Task.Delay's limit is about 49 days; longer waits are taken in steps.</summary>
    static readonly TimeSpan MaxDelay = TimeSpan.FromDays(24);

    readonly Lock gate = new();
    DateTimeOffset? nextOccurrence;

    public string Name => invoker.Name;

    /// <summary>The occurrence this host is waiting for; null while it does not hold the lock or is running the function.</summary>
    public DateTimeOffset? NextOccurrence
    {
        get { lock (gate) { return nextOccurrence; } }
        private set { lock (gate) { nextOccurrence = value; } }
    }

    /// <param name="stopping">Stop scheduling; a run in progress is finished.</param>
    /// <param name="aborted">Given to the function; once signalled the lock is not released (a crash).</param>
    public async Task RunAsync(CancellationToken stopping, CancellationToken aborted)
    {
        while (await timerLock.AcquireAsync(stopping))
        {
            using var holding = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Task renewing = timerLock.HoldAsync(holding);
            try
            {
                await RunScheduleAsync(holding.Token, aborted);
            }
            catch (OperationCanceledException) when (holding.IsCancellationRequested || aborted.IsCancellationRequested)
            {
            }
            finally
            {
                NextOccurrence = null;
                await holding.CancelAsync();
                await renewing;
            }

            if (stopping.IsCancellationRequested)
            {
                if (!aborted.IsCancellationRequested)
                {
                    await timerLock.ReleaseAsync(aborted);
                }

                return;
            }
        }
    }

    async Task RunScheduleAsync(CancellationToken holding, CancellationToken aborted)
    {
        TimeZoneInfo zone = time.LocalTimeZone;
        DateTimeOffset now = time.GetUtcNow();
        bool monitored = useMonitor && !schedule.IsSubMinute(now, zone);
        TimerStatus? stored = monitored ? await ReadStatusAsync(holding) : null;

        var status = new TimerStatus(null, schedule.NextAfter(now, zone), null);
        bool pastDue = false;
        if (stored is not null)
        {
            // Recomputed from the last run rather than taken as stored, in case the schedule changed since.
            DateTimeOffset expected = stored.LastUpdated is { } updated ? schedule.NextAfter(updated, zone) : stored.Next;
            status = stored with { Next = expected };
            pastDue = expected < now;
        }

        logger.LogInformation(
            "Timer function {Function}: schedule '{Schedule}' in time zone {Zone}, next occurrence {Next:o}.",
            Name, schedule, zone.Id, status.Next);

        if (pastDue || runOnStartup)
        {
            status = await InvokeAsync(status, time.GetUtcNow(), pastDue, unscheduled: true, monitored, zone, aborted);
        }

        while (true)
        {
            await WaitUntilAsync(status.Next, holding);
            status = await InvokeAsync(status, time.GetUtcNow(), pastDue: false, unscheduled: false, monitored, zone, aborted);
        }
    }

    async Task<TimerStatus> InvokeAsync(
        TimerStatus status, DateTimeOffset invokedAt, bool pastDue, bool unscheduled, bool monitored, TimeZoneInfo zone, CancellationToken aborted)
    {
        NextOccurrence = null;
        var info = new TimerInfo { ScheduleStatus = monitored ? status.ToScheduleStatus(zone) : null, IsPastDue = pastDue };
        try
        {
            await invoker.InvokeAsync(info, aborted);
        }
        catch (Exception e) when (!aborted.IsCancellationRequested)
        {
            logger.LogError(e, "Timer function {Function} failed; its schedule goes on.", Name);
        }

        aborted.ThrowIfCancellationRequested();

        // A timer that fired a little early counts as the occurrence it was for, so that occurrence is not run twice.
        DateTimeOffset last = !unscheduled && status.Next > invokedAt ? status.Next : invokedAt;
        var next = new TimerStatus(last, schedule.NextAfter(last, zone), last);
        if (monitored)
        {
            try
            {
                await timerLock.WriteStatusAsync(next, aborted);
            }
            catch (RequestFailedException e)
            {
                logger.LogWarning(e, "Could not store the schedule status of timer function {Function}.", Name);
            }
        }

        return next;
    }

    async Task WaitUntilAsync(DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        while (dueAt - time.GetUtcNow() is var due && due > TimeSpan.Zero)
        {
            Task delay = Task.Delay(due < MaxDelay ? due : MaxDelay, time, cancellationToken);

            // Published only once the delay's timer exists: a test that sees it and then moves a fake clock is not missed.
            NextOccurrence = dueAt;
            await delay;
        }
    }

    async Task<TimerStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await timerLock.ReadStatusAsync(cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or System.Text.Json.JsonException)
        {
            logger.LogWarning(e, "Could not read the schedule status of timer function {Function}; starting afresh.", Name);
            return null;
        }
    }
}
