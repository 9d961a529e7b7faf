using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.History;

/// <summary>
/// GET /api/v1/reports/range?from=..&amp;to=..[&amp;clinic=..][&amp;format=csv] (staff key): the figures of every service
/// day from <c>from</c> to <c>to</c>, each as its daily report gives them, and each clinic's totals over the range.
/// </summary>
public sealed class RangeReportHandler(ClinicDirectory clinics, HistoryTable history, QueueRules rules, TimeProvider time, IOptions<QueueOptions> options)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var today = rules.ServiceDayOf(time.GetUtcNow());
        var range = ServiceDayRange.Parse(
            QueryParameters.Optional(request, "from", ErrorCodes.InvalidDate),
            QueryParameters.Optional(request, "to", ErrorCodes.InvalidDate),
            today);
        var clinic = QueryParameters.Optional(request, "clinic", ErrorCodes.InvalidClinic) is { Length: > 0 } raw ? clinics.Resolve(raw) : null;
        var csv = ReportFormat.IsCsv(QueryParameters.Optional(request, "format", ErrorCodes.InvalidFormat));

        var days = await history.ReadDaysAsync(range.Days, clinic, cancellationToken);
        var report = RangeReportBuilder.Build(range, ReportClinics.Listed(clinic, clinics, options.Value), days, rules.TimeZone, options.Value.TimeZone);

        if (!csv)
        {
            return ApiResult.Ok(report);
        }

        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return new FileContentResult(RangeReportCsv.Write(report), DailyReportCsv.ContentType) { FileDownloadName = RangeReportCsv.FileName(range) };
    }
}
