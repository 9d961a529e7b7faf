using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing;
using QueueFunctions.Visits;

namespace QueueFunctions.Streams;

/// <summary>
/// GET /api/v1/events/stream?clinic=..[&amp;user=..]: the clinic's queue as Server-Sent Events, for the
/// waiting-room board (no user) or one patient's phone. Every stream of a clinic in this instance is
/// fed by the same watcher, so open streams cost no storage reads of their own.
/// </summary>
public sealed class EventStreamFunction(
    ClinicDirectory clinics,
    ClinicQueueClient queue,
    ClinicWatchers watchers,
    VisitClient visits,
    IOptions<QueueOptions> options,
    TimeProvider time,
    FloodLimiters limits)
{
    /// <summary>How soon a patient's stream looks again at a visit that has not yet moved on from a done step.</summary>
    private static readonly TimeSpan VisitRefresh = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A stream whose clinic could not be read for this long ends, so the page shows that it is reconnecting rather
    /// than a state that may be out of date; the reconnect answers 503 until storage is back.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A board may follow this many clinics on one stream. Browsers open at most six connections to one server over
    /// HTTP/1.1, so a waiting-room TV showing a dozen clinics needs them on one stream, not one stream each.
    /// </summary>
    public const int MaxBoardClinics = 16;

    [Function("EventStream")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/events/stream")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<string> followed;
        string? user;
        try
        {
            user = QueryParameters.OptionalUser(request);
            followed = ResolveClinics(QueryParameters.Required(request, "clinic", ErrorCodes.InvalidClinic), user);
        }
        catch (ApiProblem problem)
        {
            return ApiResult.From(problem);
        }

        // An open stream holds its places until it ends; a flood of connections is refused before it subscribes.
        using var places = limits.TryOpenStream(followed);
        if (places is null)
        {
            return ApiResult.From(ApiProblem.RateLimited(FloodLimiters.StreamRetryAfter));
        }

        var feeds = followed.Select(clinic => (Clinic: clinic, Watcher: watchers.For(clinic))).ToList();
        var subscriptions = feeds.Select(f => f.Watcher.Subscribe(client)).ToList();
        try
        {
            // The current state before anything is sent: when it cannot be read the answer is a plain 503, which a page
            // shows as "reconnecting" and retries, instead of an open stream that says nothing.
            var states = new List<ClinicQueueState>();
            try
            {
                foreach (var (clinic, watcher) in feeds)
                {
                    states.Add(watcher.Latest is { } latest && watcher.SinceLastGoodRead < StaleAfter
                        ? latest
                        : await queue.ReadAsync(client, clinic, cancellationToken));
                }
            }
            catch (BackendUnavailableException)
            {
                return ApiGuard.BackendUnavailable();
            }

            var writer = EventStreamWriter.Open(request.HttpContext.Response);
            var end = time.GetUtcNow() + TimeSpan.FromMinutes(options.Value.StreamMinutes);
            try
            {
                await writer.WriteConnectedAsync(new ConnectedMessage(string.Join(',', followed), user, Local(time.GetUtcNow())), cancellationToken);

                // One loop per clinic on the same response; the stream ends as soon as one of them ends (its time is up,
                // or its clinic cannot be read), so the browser reconnects and the page shows what it knows.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var loops = feeds.Select((feed, i) => FollowAsync(
                    writer, client, feed.Clinic, user, states[i], feed.Watcher, subscriptions[i], heartbeats: i == 0, end, stop.Token)).ToList();
                await Task.WhenAny(loops);
                await stop.CancelAsync();
                await Task.WhenAll(loops.Select(loop => loop.ContinueWith(_ => { }, TaskScheduler.Default)));
                cancellationToken.ThrowIfCancellationRequested();
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

    /// <summary>One clinic, or for a board (no user) up to <see cref="MaxBoardClinics"/>, comma-separated.</summary>
    private IReadOnlyList<string> ResolveClinics(string raw, string? user)
    {
        var parts = raw.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 1 && user is not null)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidClinic, "A patient's stream follows one clinic.");
        }

        if (parts.Length > MaxBoardClinics)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidClinic, $"A board follows at most {MaxBoardClinics} clinics.");
        }

        return parts.Select(clinics.Resolve).Distinct().ToList();
    }

    private async Task FollowAsync(
        EventStreamWriter writer,
        DurableTaskClient client,
        string clinic,
        string? user,
        ClinicQueueState state,
        ClinicWatcher watcher,
        ClinicSubscription subscription,
        bool heartbeats,
        DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var heartbeat = TimeSpan.FromSeconds(settings.HeartbeatSeconds);
        var refresh = TimeSpan.FromSeconds(settings.RefreshSeconds);

        // The current state at once, also after a reconnect with Last-Event-ID.
        var visitMoving = await SendAsync(writer, client, state, user, cancellationToken);
        long? sentVersion = state.Version;

        var now = time.GetUtcNow();
        var nextHeartbeat = heartbeats ? now + heartbeat : DateTimeOffset.MaxValue;
        var nextRefresh = now + (visitMoving ? VisitRefresh : refresh);
        while (now < end)
        {
            var until = new[] { nextHeartbeat, nextRefresh, end }.Min() - now;
            var changed = await subscription.NextChangeAsync(until > TimeSpan.Zero ? until : TimeSpan.Zero, cancellationToken);
            now = time.GetUtcNow();
            if (watcher.SinceLastGoodRead > StaleAfter)
            {
                return;
            }

            // A subscriber is first handed the state it may already have been sent; only news counts as a change.
            if (changed is not null && changed.Version != sentVersion || now >= nextRefresh)
            {
                state = changed ?? watcher.Latest ?? state;
                visitMoving = await SendAsync(writer, client, state, user, cancellationToken);
                sentVersion = state.Version;
                nextRefresh = now + (visitMoving ? VisitRefresh : refresh);
            }

            if (now >= nextHeartbeat)
            {
                await writer.WriteHeartbeatAsync(cancellationToken);
                nextHeartbeat = now + heartbeat;
            }
        }
    }

    /// <returns>True when the patient's visit has yet to move on from a done step, so the stream should look again soon.</returns>
    private async Task<bool> SendAsync(
        EventStreamWriter writer, DurableTaskClient client, ClinicQueueState stored, string? user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = stored.AsSeenOn(queue.Rules.ServiceDayOf(now));
        if (user is null)
        {
            await writer.WriteMessageAsync(stored.Version, StreamMessages.ForBoard(today, Local(now)), cancellationToken);
            return false;
        }

        var message = StreamMessages.ForUser(today, user, Local(now));
        var visitMoving = false;
        if (message.Type == StreamMessages.StepDoneNext && today.LatestTicketOf(user)?.Visit is { } id)
        {
            var visit = await ReadVisitAsync(client, id, cancellationToken);
            message = StreamMessages.WithVisit(message, visit);
            visitMoving = message is { Type: StreamMessages.StepDoneNext, NextClinic: null } && visit is not { IsOpen: false };
        }

        await writer.WriteMessageAsync(stored.Version, message, cancellationToken);
        return visitMoving;
    }

    private async Task<VisitProgress?> ReadVisitAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await visits.ReadAsync(client, id, cancellationToken);
        }
        catch (BackendUnavailableException)
        {
            // The stream says what it knows now and looks again shortly.
            return null;
        }
    }

    private DateTimeOffset Local(DateTimeOffset instant) => queue.Rules.ToLocal(instant);
}
