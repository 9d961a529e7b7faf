using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Visits;

namespace QueueFunctions.Push;

/// <summary>
/// Turns each clinic change on <c>push-events</c> into the pushes it calls for: the clinic's state is read once, the
/// few patients it concerns are found (<see cref="AlertChoice"/>), and each of their subscriptions of the day is sent
/// the alert once. A push the service did not take is tried again with the message's next delivery (the host retries
/// a failed message after host.json's visibility timeout, then leaves it in <c>push-events-poison</c>: an alert that
/// late would be stale anyway).
/// </summary>
public sealed class SendPushAlertsFunction(
    ClinicStateReader states,
    VisitClient visits,
    SubscriptionTable subscriptions,
    WebPushSender sender,
    IOptions<PushOptions> options,
    TimeProvider time,
    ILogger<SendPushAlertsFunction> logger)
{
    public const string Name = "SendPushAlerts";

    private readonly PushHosts hosts = PushHosts.Parse(options.Value.AllowedHosts);

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(PushEventsQueue.Name, Connection = ServiceCollectionExtensions.StorageConnection)] string message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured || Parse(message) is not { } change)
        {
            return;
        }

        var state = await states.ReadAsync(client, change.Clinic, cancellationToken);
        if (state is null || state.ServiceDay != change.ServiceDay)
        {
            // A change of a day that has ended: its subscriptions ended with it.
            return;
        }

        await subscriptions.DeleteDaysBeforeOnceAsync(change.ServiceDay, cancellationToken);
        var now = time.GetUtcNow();
        var alerts = AlertChoice.ForClinic(state, change, now).ToList();
        if (await VisitAlertAsync(client, state, change, now, cancellationToken) is { } visitAlert)
        {
            alerts.Add(visitAlert);
        }

        var subscribed = await subscriptions.ForUsersAsync(change.ServiceDay, alerts.Select(a => a.User).ToList(), cancellationToken);
        var failed = 0;
        foreach (var alert in alerts)
        {
            failed += await SendAsync(change.ServiceDay, alert, subscribed[alert.User], cancellationToken);
        }

        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} pushes for change {change.Id} were not taken; the change is tried again.");
        }
    }

    /// <summary>A visit's own alerts come from its ticket's ISSUED (the visit has moved on) and DONE (maybe its last).</summary>
    private async Task<PlannedAlert?> VisitAlertAsync(
        DurableTaskClient client, ClinicQueueState state, QueueEvent change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (change.User is not { } user || state.LatestTicketOf(user) is not { Visit: { } id } ticket || ticket.Number != change.Number)
        {
            return null;
        }

        if (change.Type is not (QueueEvent.TicketIssued or QueueEvent.TicketDone) || await visits.ReadAsync(client, id, cancellationToken) is not { } visit)
        {
            return null;
        }

        return change.Type == QueueEvent.TicketIssued ? AlertChoice.ForVisitIssued(visit, change, now) : AlertChoice.ForVisitDone(visit, state, change, now);
    }

    /// <returns>How many of the user's subscriptions did not take the alert for a passing reason.</returns>
    private async Task<int> SendAsync(DateOnly day, PlannedAlert alert, IReadOnlyList<Subscription> userSubscriptions, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var subscription in userSubscriptions)
        {
            // Checked again here: the allowed hosts may have narrowed since the subscription was kept.
            if (!hosts.Allows(subscription.Endpoint.IdnHost)
                || !await subscriptions.TryMarkSentAsync(day, alert.OnceKey, subscription.Endpoint, cancellationToken))
            {
                continue;
            }

            switch (await sender.SendAsync(subscription, PushTexts.PayloadOf(alert.Message, subscription.Lang), cancellationToken))
            {
                case PushDelivery.Gone:
                    logger.LogInformation("A push subscription of {Host} has ended; it is removed", subscription.Endpoint.Host);
                    await subscriptions.DeleteAsync(day, subscription.Endpoint, cancellationToken);
                    break;
                case PushDelivery.Failed:
                    await subscriptions.UnmarkSentAsync(day, alert.OnceKey, subscription.Endpoint, cancellationToken);
                    failed++;
                    break;
            }
        }

        return failed;
    }

    /// <summary>Only the changes a push can follow from; anything else on the queue is dropped, not retried.</summary>
    private QueueEvent? Parse(string message)
    {
        try
        {
            if (JsonSerializer.Deserialize<QueueEvent>(message, ApiResult.Json) is { Clinic.Length: > 0, Type.Length: > 0 } change)
            {
                return change;
            }
        }
        catch (JsonException)
        {
        }

        logger.LogWarning("A push-events message is not a queue event; it is dropped");
        return null;
    }
}
