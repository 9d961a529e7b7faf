using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;

namespace QueueFunctions.Overview;

/// <summary>Which clinics the overview shows, and the snapshot of them, shared by the reply and the stream.</summary>
public sealed class OverviewBuilder(ClinicQueueClient queue, IOptions<QueueOptions> queueOptions, IOptions<OverviewOptions> options, TimeProvider time)
{
    public TimeSpan StalledAfter => options.Value.StalledAfter;

    /// <summary>The clinics of <c>Queue:Clinics</c> in their order; with an empty list, every clinic that has a queue.</summary>
    public async Task<IReadOnlyList<string>> ClinicsAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var listed = queueOptions.Value.ClinicList();
        return listed.Count > 0 ? listed : (await queue.ListClinicsAsync(client, cancellationToken)).Order(StringComparer.Ordinal).ToList();
    }

    /// <param name="stored">Each clinic's state as stored (any day): a clinic not yet used today is shown empty.</param>
    public ClinicOverview Figures(ClinicQueueState stored, IReadOnlyDictionary<string, TodayWait> waits)
    {
        var now = time.GetUtcNow();
        var today = stored.AsSeenOn(queue.Rules.ServiceDayOf(now));
        return OverviewCalculator.ForClinic(today, now, StalledAfter, queue.Rules, waits.GetValueOrDefault(today.Clinic));
    }

    public OverviewSnapshot Snapshot(IEnumerable<ClinicQueueState> stored, IReadOnlyDictionary<string, TodayWait> waits)
    {
        var clinics = stored.Select(s => Figures(s, waits)).ToList();
        return new OverviewSnapshot(
            queue.Today,
            queueOptions.Value.TimeZone,
            options.Value.StalledMinutes,
            queue.Rules.ToLocal(time.GetUtcNow()),
            clinics,
            OverviewCalculator.Totals(clinics, waits));
    }
}
