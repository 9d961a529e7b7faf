using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using QueueFunctions.Api;

namespace QueueFunctions.History;

/// <summary>Every route of the day's history, in one place. The shared edge reads the request first (<see cref="ApiEndpoint"/>).</summary>
public sealed class HistoryEndpoints(DailyReportHandler daily, RangeReportHandler range)
{
    /// <summary>Staff: a service day's figures per clinic, as JSON or CSV.</summary>
    [Function("DailyReport")]
    public Task<IActionResult> DailyReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/v1/reports/daily")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => daily.HandleAsync(request, cancellationToken));

    /// <summary>Staff: every service day's figures from one day to another, with each clinic's totals, as JSON or CSV.</summary>
    [Function("ReportRange")]
    public Task<IActionResult> ReportRange(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/v1/reports/range")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.GetAsync(() => range.HandleAsync(request, cancellationToken));
}
