using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.Visits;

/// <summary>
/// Starts and reads visits for the HTTP functions. A visit's progress is its orchestration's custom status: one
/// read of the instance, and nothing else to keep in step with it.
/// </summary>
public sealed class VisitClient(
    VisitRules rules,
    QueueRules queueRules,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<VisitClient> logger)
{
    /// <summary>How often a request waiting for a visit to move reads it.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    public VisitRules Rules => rules;

    /// <summary>The user's visit of today, or null.</summary>
    public Task<VisitProgress?> FindAsync(DurableTaskClient client, string user, CancellationToken cancellationToken) =>
        ReadAsync(client, VisitIds.For(user, queueRules.ServiceDayOf(time.GetUtcNow())), cancellationToken);

    public async Task<VisitProgress?> ReadAsync(DurableTaskClient client, string visit, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? metadata;
        try
        {
            metadata = await client.GetInstanceAsync(visit, getInputsAndOutputs: true, cancellationToken);
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            logger.LogError(ex, "Could not read visit {Visit}", visit);
            throw new BackendUnavailableException("Could not reach the visits.", ex);
        }

        if (metadata is null)
        {
            return null;
        }

        var progress = metadata.ReadCustomStatusAs<VisitProgress>()
            ?? (metadata.ReadInputAs<VisitPlan>() is { } plan ? VisitProgress.Start(plan) : null);
        if (progress is not null && metadata.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            // A visit the engine gave up on must not hold the patient: it reads as closed.
            logger.LogError("Visit {Visit} ended as {Status}", visit, metadata.RuntimeStatus);
            return progress.Closed();
        }

        return progress;
    }

    /// <summary>
    /// Starts today's visit, unless the user already has one: then that one comes back. Two requests starting the same
    /// user's visit at once both get the visit one of them started.
    /// </summary>
    /// <param name="admit">Runs before a new visit is started (never for one that exists), and may refuse it by throwing.</param>
    /// <returns>The visit, and whether it existed before this request.</returns>
    public async Task<(VisitProgress Visit, bool Existing)> StartAsync(
        DurableTaskClient client, string user, Exam exam, string gender, CancellationToken cancellationToken, Func<Task>? admit = null)
    {
        var now = time.GetUtcNow();
        var day = queueRules.ServiceDayOf(now);
        var id = VisitIds.For(user, day);
        if (await ReadAsync(client, id, cancellationToken) is { } found)
        {
            return (found, true);
        }

        if (admit is not null)
        {
            await admit();
        }

        var clinics = rules.ClinicsFor(exam, gender);
        var plan = new VisitPlan(user, exam.Id, gender, day, clinics, rules.FixedOrderOf(clinics), now, queueRules.EndOf(day));
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(VisitOrchestrator.Name), plan, new StartOrchestrationOptions(id), cancellationToken);
        }
        catch (Exception ex) when (BackendFailure.Is(ex, cancellationToken))
        {
            // Most likely a concurrent request started it first; if not, storage is down.
            if (await ReadAsync(client, id, cancellationToken) is { } raced)
            {
                return (raced, true);
            }

            logger.LogError(ex, "Could not start visit {Visit}", id);
            throw new BackendUnavailableException("Could not start the visit.", ex);
        }

        logger.LogInformation("Started visit {Visit} for exam {Exam}", id, exam.Id);
        return (VisitProgress.Start(plan), false);
    }

    /// <summary>Reads the visit until <paramref name="reached"/> holds, or answers a timeout after the confirm limit.</summary>
    /// <returns>The visit; closed and without steps once its instance no longer exists (see <see cref="Gone"/>).</returns>
    public Task<VisitProgress> WaitAsync(
        DurableTaskClient client, string visit, Func<VisitProgress, bool> reached, CancellationToken cancellationToken) =>
        WaitAsync(client, visit, reached, Gone, cancellationToken);

    /// <summary>As the other overload, for a visit already read: if its instance goes, that progress comes back closed.</summary>
    public Task<VisitProgress> WaitAsync(
        DurableTaskClient client, VisitProgress known, Func<VisitProgress, bool> reached, CancellationToken cancellationToken) =>
        WaitAsync(client, known.Id, reached, known.Closed, cancellationToken);

    private async Task<VisitProgress> WaitAsync(
        DurableTaskClient client, string visit, Func<VisitProgress, bool> reached, Func<VisitProgress> ifGone, CancellationToken cancellationToken)
    {
        // Real time, like the clinic's confirmations: the app's clock may be a test's fixed one.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.ConfirmTimeoutSeconds));
        try
        {
            while (true)
            {
                switch (await ReadAsync(client, visit, deadline.Token))
                {
                    case null:
                        // A visit's instance exists from its start (it takes the visit's tickets itself), so one that is
                        // gone was purged: the hourly purge removes only runs that ended, and nothing will move it again.
                        // Waiting on would only end in a timeout, answered again on every retry.
                        logger.LogWarning("Visit {Visit} no longer exists; it reads as closed", visit);
                        return ifGone();
                    case { } progress when reached(progress):
                        return progress;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Visit {Visit} did not move within {Seconds} s", visit, options.Value.ConfirmTimeoutSeconds);
            throw new ConfirmationTimeoutException("The visit did not move on in time.");
        }
    }

    /// <summary>
    /// A visit whose instance is gone and was not read before: closed, with no steps to move on to. Who and which exam
    /// it was went with the instance, so only its status means anything.
    /// </summary>
    private static VisitProgress Gone() => new(string.Empty, string.Empty, string.Empty, default, VisitStatus.Closed, [], []);
}
