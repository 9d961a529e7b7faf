using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Queueing;

namespace QueueFunctions.Overview;

/// <summary>GET /api/v1/overview (staff key): every clinic's figures now, and the centre's totals.</summary>
public sealed class OverviewHandler(OverviewBuilder overview, ClinicQueueClient queue, TodayWaits waits)
{
    public async Task<IActionResult> HandleAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var clinics = await overview.ClinicsAsync(client, cancellationToken);
        var states = await Task.WhenAll(clinics.Select(clinic => queue.ReadAsync(client, clinic, cancellationToken)));
        return ApiResult.Ok(new OverviewResponse(overview.Snapshot(states, await waits.GetAsync(cancellationToken))));
    }
}
