using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using QueueFunctions.Domain;

namespace QueueFunctions.Api;

/// <summary>Turns the failures every endpoint shares into the contract's error bodies.</summary>
public static class ApiGuard
{
    /// <summary>Seconds a client should wait before retrying when the backend is down.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>503 with Retry-After: storage or the engine cannot be reached right now.</summary>
    public static ApiResult BackendUnavailable() =>
        ApiResult.Error(
            StatusCodes.Status503ServiceUnavailable,
            ErrorCodes.BackendUnavailable,
            "The queue is unavailable right now; please try again shortly.",
            new Dictionary<string, string> { ["Retry-After"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public static async Task<IActionResult> RunAsync(Func<Task<IActionResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (ApiProblem problem)
        {
            return ApiResult.From(problem);
        }
        catch (BackendUnavailableException)
        {
            return BackendUnavailable();
        }
        catch (QueueFullException full)
        {
            return ApiResult.Error(StatusCodes.Status409Conflict, ErrorCodes.QueueFull, full.Message);
        }
        catch (ConfirmationTimeoutException)
        {
            return ApiResult.Error(
                StatusCodes.Status504GatewayTimeout,
                ErrorCodes.Timeout,
                "The queue did not confirm the request in time; repeating it is safe.");
        }
    }
}
