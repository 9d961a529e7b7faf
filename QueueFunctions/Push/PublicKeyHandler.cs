using Microsoft.AspNetCore.Mvc;
using QueueFunctions.Api;
using QueueFunctions.Push.Contracts;

namespace QueueFunctions.Push;

/// <summary>GET /api/v1/push/public-key: the key a browser's subscription must name, so only this app can push to it.</summary>
public sealed class PublicKeyHandler(PushGate gate)
{
    public Task<IActionResult> HandleAsync() =>
        Task.FromResult<IActionResult>(ApiResult.Ok(new PublicKeyResponse(gate.Require().PublicKey)));
}
