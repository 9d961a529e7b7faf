using Microsoft.AspNetCore.Http;
using QueueFunctions.Queueing;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Support;

/// <summary>Calls the real function classes against a <see cref="QueueBackend"/> and returns what went on the wire.</summary>
public sealed class QueueApi(QueueBackend backend)
{
    public QueueBackend Backend => backend;

    public async Task<WireResponse> EnterAsync(HttpRequest request) =>
        await Http.SendAsync(await new EnterFunction(backend.Directory, backend.Queue, new VisitSteps(backend.Visits), backend.Limits, backend.Replies).RunAsync(request, backend.Client.Object, CancellationToken.None));

    public Task<WireResponse> EnterAsync(string clinic, string user) => EnterAsync(Http.PostJson(new { clinic, user }));

    public async Task<WireResponse> StatusAsync(string queryString) =>
        await Http.SendAsync(await new StatusFunction(backend.Directory, backend.Queue).RunAsync(Http.Get(queryString), backend.Client.Object, CancellationToken.None));

    public async Task<WireResponse> DoneAsync(HttpRequest request) =>
        await Http.SendAsync(await new DoneFunction(backend.Directory, backend.Queue, new VisitSteps(backend.Visits), backend.Limits, backend.Replies).RunAsync(request, backend.Client.Object, CancellationToken.None));

    public Task<WireResponse> DoneAsync(string clinic, string user, string pin) => DoneAsync(Http.PostJson(new { clinic, user, pin }));

    public async Task<WireResponse> CallAsync(HttpRequest request) =>
        await Http.SendAsync(await new CallFunction(backend.Directory, backend.Queue, backend.Replies).RunAsync(request, backend.Client.Object, CancellationToken.None));

    public Task<WireResponse> CallAsync(string clinic) => CallAsync(Http.PostJson(new { clinic }));

    public async Task<WireResponse> ResetAsync(HttpRequest request) =>
        await Http.SendAsync(await new ResetFunction(backend.Directory, backend.Queue, backend.Replies).RunAsync(request, backend.Client.Object, CancellationToken.None));

    public async Task<WireResponse> PinStatusAsync() =>
        await Http.SendAsync(await new PinStatusFunction(backend.Directory, backend.Queue, backend.Options).RunAsync(Http.Get(""), backend.Client.Object, CancellationToken.None));
}
