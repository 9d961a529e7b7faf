using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace QueueFunctions.Api;

/// <summary>
/// The opening every JSON endpoint shares, written once: the failures all endpoints share become the contract's error
/// bodies (<see cref="ApiGuard"/>), and a POST's body is read and bounded before its handler sees it.
/// </summary>
public static class ApiEndpoint
{
    public static Task<IActionResult> GetAsync(Func<Task<IActionResult>> handle) => ApiGuard.RunAsync(handle);

    public static Task<IActionResult> PostAsync(HttpRequest request, Func<JsonBody, Task<IActionResult>> handle, CancellationToken cancellationToken) =>
        ApiGuard.RunAsync(async () => await handle(await JsonBody.ReadAsync(request, cancellationToken)));

    /// <summary>A DELETE that names what it removes in a JSON body, read as a POST's.</summary>
    public static Task<IActionResult> DeleteAsync(HttpRequest request, Func<JsonBody, Task<IActionResult>> handle, CancellationToken cancellationToken) =>
        PostAsync(request, handle, cancellationToken);
}
