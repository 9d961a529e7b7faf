using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.Visits;

namespace QueueFunctions.Pages;

/// <summary>
/// Every route of the clinic's five screens, in one place: the pages, their files, the patient page's service worker, the ticket's QR code and the API's
/// OpenAPI document, served by the app itself (no CDN at run time), anonymous. The pages are static; everything they show comes from the API under
/// <c>/api/v1</c>.
/// </summary>
public sealed class PageEndpoints(StaticAssets files, ClinicDirectory clinics, VisitRules visits)
{
    /// <summary>Pages change with a deployment; browsers check each time (cheap: a page is a few KiB).</summary>
    private const string PageCache = "no-cache";

    /// <summary>Assets are revalidated after an hour, so a deployment reaches every screen within one.</summary>
    private const string AssetCache = "public, max-age=3600";

    public const string ServiceWorkerFile = "ticket-sw.js";

    [Function("KioskPage")]
    public IActionResult Kiosk([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "kiosk")] HttpRequest request) =>
        Page("kiosk", html => html
            .Replace(PageChoices.ExamsMarker, PageChoices.ExamOptions(visits), StringComparison.Ordinal)
            .Replace(PageChoices.ClinicsMarker, PageChoices.ClinicOptions(OfferedClinics()), StringComparison.Ordinal));

    [Function("DisplayPage")]
    public IActionResult Display([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "display")] HttpRequest request) => Page("display");

    [Function("ClinicPage")]
    public IActionResult Clinic([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "clinic")] HttpRequest request) => Page("clinic");

    /// <summary>
    /// The manager's overview. Not at <c>/admin</c>: the Functions host keeps every route that begins with "admin" for its
    /// own admin API and refuses to index a function declaring one.
    /// </summary>
    [Function("OverviewPage")]
    public IActionResult Overview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "overview")] HttpRequest request) => Page("overview");

    [Function("TicketPage")]
    public IActionResult Ticket([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ticket")] HttpRequest request) => Page("ticket");

    /// <summary>
    /// The patient page's service worker. A worker controls only pages under its own path, so it is served from the root
    /// (its scope is <c>/ticket</c>), and checked for a new version each time, as a page is.
    /// </summary>
    [Function("TicketServiceWorker")]
    public IActionResult TicketServiceWorker([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ticket-sw.js")] HttpRequest request) =>
        files.AssetNamed(ServiceWorkerFile) is { } worker
            ? new PageResult(worker.Content, worker.ContentType, PageCache)
            : throw new InvalidOperationException($"{ServiceWorkerFile} is missing from wwwroot/assets.");

    [Function("PageAsset")]
    public IActionResult AssetFile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{name}")] HttpRequest request,
        string name) =>
        files.AssetNamed(name) is { } asset
            ? new PageResult(asset.Content, asset.ContentType, AssetCache)
            : ApiResult.Error(StatusCodes.Status404NotFound, "NOT_FOUND", "There is no such file.");

    [Function("TicketQrCode")]
    public IActionResult QrCode([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "qr")] HttpRequest request) => TicketQrCode.For(request);

    [Function("OpenApiDocument")]
    public IActionResult OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/openapi.json")] HttpRequest request) =>
        OpenApiFile.For(request);

    private IActionResult Page(string name, Func<string, string>? fill = null)
    {
        var page = files.Page(name) ?? throw new InvalidOperationException($"The page '{name}' is missing from wwwroot/pages.");
        var html = Encoding.UTF8.GetString(page.Content)
            .Replace(PageChoices.NamesMarker, PageChoices.NamesBlock(OfferedClinics().Concat(ClinicNames.Named)), StringComparison.Ordinal);
        return new PageResult(Encoding.UTF8.GetBytes(fill is null ? html : fill(html)), page.ContentType, PageCache);
    }

    /// <summary>The listed clinics; with any clinic allowed, the clinics the exams use.</summary>
    private IEnumerable<string> OfferedClinics() =>
        clinics.Known.Count > 0 ? clinics.Known : visits.Exams.Values.SelectMany(e => e.Clinics).Distinct().Order(StringComparer.Ordinal);
}
