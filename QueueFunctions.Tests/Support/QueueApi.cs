using Microsoft.AspNetCore.Http;
using QueueFunctions.Queueing.Endpoints;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Support;

/// <summary>Calls the real function classes against a <see cref="QueueBackend"/> and returns what went on the wire.</summary>
public sealed class QueueApi(QueueBackend backend)
{
    private readonly QueueEndpoints endpoints = new(
        new EnterHandler(backend.Directory, backend.Queue, new VisitSteps(backend.Visits), backend.Limits, backend.Replies),
        new StatusHandler(backend.Directory, backend.Queue),
        new DoneHandler(backend.Directory, backend.Queue, new VisitSteps(backend.Visits), backend.Limits, backend.Replies),
        new CallHandler(backend.Directory, backend.Queue, backend.Replies),
        new ResetHandler(backend.Directory, backend.Queue, backend.Replies),
        new TicketsHandler(backend.Directory, backend.Queue),
        new PinStatusHandler(backend.Directory, backend.Queue, backend.Options));

    public QueueBackend Backend => backend;

    public async Task<WireResponse> EnterAsync(HttpRequest request) =>
        await Http.SendAsync(await endpoints.Enter(request, backend.Client.Object, CancellationToken.None));

    public Task<WireResponse> EnterAsync(string clinic, string user) => EnterAsync(Http.PostJson(new { clinic, user }));

    public async Task<WireResponse> StatusAsync(string queryString) =>
        await Http.SendAsync(await endpoints.Status(Http.Get(queryString), backend.Client.Object, CancellationToken.None));

    public async Task<WireResponse> DoneAsync(HttpRequest request) =>
        await Http.SendAsync(await endpoints.Done(request, backend.Client.Object, CancellationToken.None));

    public Task<WireResponse> DoneAsync(string clinic, string user, string pin) => DoneAsync(Http.PostJson(new { clinic, user, pin }));

    public async Task<WireResponse> CallAsync(HttpRequest request) =>
        await Http.SendAsync(await endpoints.Call(request, backend.Client.Object, CancellationToken.None));

    public Task<WireResponse> CallAsync(string clinic) => CallAsync(Http.PostJson(new { clinic }));

    public async Task<WireResponse> ResetAsync(HttpRequest request) =>
        await Http.SendAsync(await endpoints.Reset(request, backend.Client.Object, CancellationToken.None));

    public async Task<WireResponse> PinStatusAsync() =>
        await Http.SendAsync(await endpoints.PinStatus(Http.Get(""), backend.Client.Object, CancellationToken.None));
}
