using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing;
using QueueFunctions.Streams;

namespace QueueFunctions.Overview;

/// <summary>
/// GET /api/v1/overview/stream (staff key): every clinic on one stream of Server-Sent Events. It listens to the same
/// per-clinic watchers as the boards' streams, so an open overview costs no storage reads of its own: a clinic already
/// followed by a board is read once for both.
/// </summary>
public sealed class OverviewStreamHandler(
    OverviewBuilder overview,
    ClinicQueueClient queue,
    ClinicWatchers watchers,
    TodayWaits waits,
    IOptions<QueueOptions> options,
    TimeProvider time,
    FloodLimiters limits)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinics = await overview.ClinicsAsync(client, cancellationToken);

        // An overview holds a stream's place on each clinic it follows, as a board does, so a flood of them is refused
        // by the limits that already protect the clinics.
        using var places = limits.TryOpenStream(clinics);
        if (places is null)
        {
            return ApiResult.From(ApiProblem.RateLimited(FloodLimiters.StreamRetryAfter));
        }

        var feeds = clinics.Select(watchers.For).ToList();
        var subscriptions = feeds.Select(w => w.Subscribe(client)).ToList();
        try
        {
            // Read before the stream opens: when storage is away the answer is a plain 503, which the page retries.
            var states = new ClinicQueueState[feeds.Count];
            for (var i = 0; i < feeds.Count; i++)
            {
                states[i] = feeds[i].Latest is { } latest && feeds[i].SinceLastGoodRead < EventStreamFunction.StaleAfter
                    ? latest
                    : await queue.ReadAsync(client, clinics[i], cancellationToken);
            }

            var writer = EventStreamWriter.Open(request.HttpContext.Response);
            try
            {
                await StreamAsync(writer, clinics, feeds, subscriptions, states, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The client went away; disposing the subscriptions frees their places at once.
            }

            return new EmptyResult();
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    private async Task StreamAsync(
        EventStreamWriter writer,
        IReadOnlyList<string> clinics,
        IReadOnlyList<ClinicWatcher> feeds,
        IReadOnlyList<ClinicSubscription> subscriptions,
        ClinicQueueState[] states,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var heartbeat = TimeSpan.FromSeconds(settings.HeartbeatSeconds);
        var refresh = TimeSpan.FromSeconds(settings.RefreshSeconds);
        var now = time.GetUtcNow();
        var end = now + TimeSpan.FromMinutes(settings.StreamMinutes);

        await writer.WriteConnectedAsync(new OverviewConnectedMessage(clinics, Local(now)), cancellationToken);
        await writer.WriteDataAsync(new OverviewMessage(overview.Snapshot(states, await waits.GetAsync(cancellationToken))), cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = subscriptions.Select((subscription, i) => FollowAsync(writer, i, subscription, states, end, stop.Token)).ToList();
        try
        {
            var nextHeartbeat = now + heartbeat;
            var nextRefresh = now + refresh;
            while (now < end && !loops.Any(loop => loop.IsCompleted))
            {
                var until = new[] { nextHeartbeat, nextRefresh, end }.Min() - now;
                await Task.WhenAny(Task.WhenAny(loops), Task.Delay(until > TimeSpan.Zero ? until : TimeSpan.Zero, time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                now = time.GetUtcNow();

                // A clinic that cannot be read ends the stream, so the page shows it is reconnecting rather than figures
                // that may be out of date; the reconnect answers 503 until storage is back.
                if (feeds.Any(f => f.SinceLastGoodRead > EventStreamFunction.StaleAfter))
                {
                    return;
                }

                if (now >= nextRefresh)
                {
                    // Also what moves a stalled alert on: a clinic that stops moving sends no change of its own.
                    await writer.WriteDataAsync(new OverviewMessage(overview.Snapshot(states.ToList(), await waits.GetAsync(cancellationToken))), cancellationToken);
                    nextRefresh = now + refresh;
                }

                if (now >= nextHeartbeat)
                {
                    await writer.WriteHeartbeatAsync(cancellationToken);
                    nextHeartbeat = now + heartbeat;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops.Select(loop => loop.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Sends one clinic's figures, with the centre's totals, whenever its queue changes.</summary>
    private async Task FollowAsync(
        EventStreamWriter writer, int index, ClinicSubscription subscription, ClinicQueueState[] states, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var sentVersion = states[index].Version;
        while (time.GetUtcNow() < end)
        {
            var changed = await subscription.NextChangeAsync(end - time.GetUtcNow() is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);

            // A subscriber is first handed the state it may already have been sent; only news counts as a change.
            if (changed is null || changed.Version == sentVersion)
            {
                continue;
            }

            states[index] = changed;
            sentVersion = changed.Version;
            var today = await waits.GetAsync(cancellationToken);
            var figures = states.Select(s => overview.Figures(s, today)).ToList();
            await writer.WriteDataAsync(
                new ClinicUpdateMessage(changed.Clinic, figures[index], OverviewCalculator.Totals(figures, today), Local(time.GetUtcNow())),
                cancellationToken);
        }
    }

    private DateTimeOffset Local(DateTimeOffset instant) => queue.Rules.ToLocal(instant);
}
