using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;

namespace QueueFunctions.History;

/// <summary>GET /api/v1/reports/daily?date=..[&amp;clinic=..][&amp;format=csv] (staff key): a service day's figures per clinic, from the history.</summary>
public sealed class DailyReportHandler(ClinicDirectory clinics, HistoryTable history, QueueRules rules, TimeProvider time, IOptions<QueueOptions> options)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var today = rules.ServiceDayOf(time.GetUtcNow());
        var date = ParseDate(request.Query["date"].ToString(), today);
        var clinic = request.Query["clinic"].ToString() is { Length: > 0 } raw ? clinics.Resolve(raw) : null;
        var csv = ReportFormat.IsCsv(request.Query["format"].ToString());

        var day = await history.ReadDayAsync(date, clinic, cancellationToken);
        var report = new DailyReportResponse(
            date,
            options.Value.TimeZone,
            ReportClinics.MeasureDay(ReportClinics.Listed(clinic, clinics, options.Value), day, rules.TimeZone).Select(m => m.ToFigures()).ToList());

        if (!csv)
        {
            return ApiResult.Ok(report);
        }

        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return new FileContentResult(DailyReportCsv.Write(report), DailyReportCsv.ContentType) { FileDownloadName = DailyReportCsv.FileName(date) };
    }

    /// <exception cref="ApiProblem">INVALID_DATE for a malformed date or one after today's service day.</exception>
    private static DateOnly ParseDate(string raw, DateOnly today)
    {
        if (raw.Length == 0)
        {
            return today;
        }

        if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidDate, "The date must be a service day written as yyyy-MM-dd.");
        }

        return date <= today
            ? date
            : throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidDate, $"The service day {raw} has not begun yet; today is {today:yyyy-MM-dd}.");
    }
}
