using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using QRCoder;
using QueueFunctions.Api;

namespace QueueFunctions.Pages;

/// <summary>
/// GET /qr?user=..: a QR code (PNG) of the patient's own page on this app, for the kiosk's ticket. It encodes only
/// that address, never arbitrary text, so it cannot be used to make codes pointing elsewhere.
/// </summary>
public static class TicketQrCode
{
    public static IActionResult For(HttpRequest request)
    {
        string user;
        try
        {
            user = ClinicDirectory.ResolveUser(QueryParameters.Required(request, "user", ErrorCodes.InvalidUser));
        }
        catch (ApiProblem problem)
        {
            return ApiResult.From(problem);
        }

        var address = $"{request.Scheme}://{request.Host}/ticket?user={Uri.EscapeDataString(user)}";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(address, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(8);
        return new PageResult(png, "image/png", "private, max-age=86400");
    }
}
