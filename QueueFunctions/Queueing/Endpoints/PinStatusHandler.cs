using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Queueing.Contracts;

namespace QueueFunctions.Queueing.Endpoints;

/// <summary>GET /api/v1/pin/status (staff key): every clinic's PIN of the day, opening the day where it has not begun.</summary>
public sealed class PinStatusHandler(ClinicDirectory clinics, ClinicQueueClient queue, IOptions<QueueOptions> options)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var ids = clinics.IsRestricted ? clinics.Known : await queue.ListClinicsAsync(client, cancellationToken);
        var states = await Task.WhenAll(ids.Select(id => queue.OpenAsync(client, id, cancellationToken)));
        var pins = states.OrderBy(s => s.Clinic, StringComparer.Ordinal).ToDictionary(s => s.Clinic, s => s.Pin);
        return ApiResult.Ok(new PinStatusResponse(queue.Today, options.Value.TimeZone, options.Value.ServiceDayStartsAt, pins));
    }
}
