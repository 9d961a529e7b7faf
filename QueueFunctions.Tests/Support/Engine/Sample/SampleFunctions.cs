using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace QueueFunctions.Tests.Support.Engine.Sample;

public static class SampleServiceCollectionExtensions
{
    /// <summary>The sample app's registration, shaped like the real app's AddClinicQueue(configuration).</summary>
    public static IServiceCollection AddSampleApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SampleOptions>(configuration.GetSection("Sample"));
        services.AddSingleton<GreetingFormatter>();
        services.AddSingleton<TriggerRecorder>();
        return services;
    }
}

public sealed class GreetingFormatter
{
    public string Format(string name) => $"Hello, {name}!";
}

public sealed record AddRequest(string Id);

/// <summary>HTTP functions written as the app writes them (ASP.NET Core integration, instance methods, DI).</summary>
public sealed class SampleFunctions(GreetingFormatter greetings)
{
    [Function("SampleAdd")]
    public async Task<IActionResult> AddAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "samples/tally/{key}/add")] HttpRequest req,
        string key,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        AddRequest? body = await JsonSerializer.DeserializeAsync<AddRequest>(req.Body, JsonSerializerOptions.Web, cancellationToken);
        if (string.IsNullOrEmpty(body?.Id))
        {
            return new BadRequestObjectResult(new { success = false, error = "id is required", code = "MISSING_FIELD" });
        }

        await client.Entities.SignalEntityAsync(new EntityInstanceId(TallyEntity.Name, key), nameof(TallyEntity.Add), body.Id, cancellation: cancellationToken);
        return new ObjectResult(new { success = true, id = body.Id }) { StatusCode = StatusCodes.Status202Accepted };
    }

    [Function("SampleGet")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "samples/tally/{key}")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        string key = (string)req.RouteValues["key"]!;
        var entity = await client.Entities.GetEntityAsync<TallyState>(new EntityInstanceId(TallyEntity.Name, key), cancellation: cancellationToken);
        return entity is null
            ? new NotFoundObjectResult(new { success = false, error = "no such tally", code = "NOT_FOUND" })
            : new OkObjectResult(entity.State);
    }

    [Function("SampleReset")]
    public async Task<IActionResult> ResetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "samples/tally/{key}/reset")] HttpRequest req,
        string key,
        [DurableClient] DurableTaskClient client,
        FunctionContext? context)
    {
        await client.Entities.SignalEntityAsync(new EntityInstanceId(TallyEntity.Name, key), nameof(TallyEntity.Reset));
        return new JsonResult(new { success = true, reset = key, hadContext = context is not null });
    }

    [Function("SampleAdmin")]
    public IActionResult Admin([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "samples/admin")] HttpRequest req) =>
        new OkObjectResult(new { success = true });

    /// <summary>Writes the response itself, the way a Server-Sent Events function does.</summary>
    [Function("SampleStream")]
    public async Task StreamAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "samples/stream")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        HttpResponse response = req.HttpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.WriteAsync("retry: 3000\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        for (int i = 1; i <= 3; i++)
        {
            await response.WriteAsync($"id: {i}\ndata: {{\"n\":{i}}}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }

    [Function("SampleMinimal")]
    public Task<IResult> MinimalAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "samples/minimal/{n:int}")] HttpRequest req, int n) =>
        Task.FromResult(Results.Json(new { doubled = n * 2 }));

    [Function("SampleHello")]
    public async Task<IActionResult> HelloAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "samples/hello/{name}")] HttpRequest req,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        string instanceId = await client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloOrchestrator), name, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
        return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? new OkObjectResult(new { status = done.RuntimeStatus.ToString(), output = done.ReadOutputAs<string>() })
            : new ObjectResult(new { status = done.RuntimeStatus.ToString(), failure = done.FailureDetails?.ToString(), output = done.SerializedOutput }) { StatusCode = 500 };
    }

    [Function(nameof(HelloOrchestrator))]
    public static async Task<string> HelloOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        string name = context.GetInput<string>()!;
        string greeting = await context.CallActivityAsync<string>(nameof(Greet), name);
        await context.Entities.SignalEntityAsync(new EntityInstanceId(TallyEntity.Name, "greetings"), nameof(TallyEntity.Add), greeting);
        return greeting;
    }

    [Function(nameof(Greet))]
    public string Greet([ActivityTrigger] string name, FunctionContext? executionContext) => greetings.Format(name);
}
