using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using QueueFunctions.LocalHost.Engine;
using QueueFunctions.LocalHost.Functions;
using QueueFunctions.LocalHost.Triggers;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>
/// The app's functions on Kestrel plus its entities on the real Durable Task engine and Azure Storage (Azurite),
/// in one process, without the Azure Functions host.
/// </summary>
public sealed partial class LocalQueueHost : IAsyncDisposable
{
    readonly WebApplication app;
    readonly DurableEngine engine;
    readonly TriggerListeners triggers;
    int stopped;

    LocalQueueHost(WebApplication app, DurableEngine engine, TriggerListeners triggers, FunctionCatalog catalog, Uri baseAddress)
    {
        this.app = app;
        this.engine = engine;
        this.triggers = triggers;
        Catalog = catalog;
        BaseAddress = baseAddress;
    }

    /// <summary>Where Kestrel listens, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The engine client, the same object the app's functions receive as [DurableClient].</summary>
    public DurableTaskClient Client => engine.Client;

    public FunctionCatalog Catalog { get; }

    /// <summary>The app's services (the same container the functions and entities are built from).</summary>
    public IServiceProvider Services => app.Services;

    public string TaskHubName => engine.Settings.TaskHubName;

    /// <summary>The engine's settings in effect: host.json's as the extension reads them, under the local overrides.</summary>
    public DurableEngineSettings EngineSettings => engine.Settings;

    /// <summary>This host's Durable Task worker id (unique per host unless configured).</summary>
    public string WorkerId => engine.Settings.WorkerId;

    /// <summary>
    /// The occurrence this host is waiting for to run the timer function; null while it does not run the timer (disabled,
    /// another host holds its lock) or the function is running. Set only once the wait has begun, so a test can wait for
    /// it and then move a fake clock past it.
    /// </summary>
    public DateTimeOffset? NextTimerOccurrence(string functionName) =>
        triggers.Timers.FirstOrDefault(t => string.Equals(t.Name, functionName, StringComparison.OrdinalIgnoreCase))?.NextOccurrence;

    /// <summary>Signalled when the web host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public CancellationToken Stopping => app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Graceful stop: queue and timer functions in progress, HTTP requests and in-flight engine work are drained
    /// (if <paramref name="cancellationToken"/> fires first, running queue and timer functions are cancelled).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        await triggers.StopAsync(cancellationToken);
        await app.StopAsync(cancellationToken);
        await engine.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// Graceful stop in bounded time, for a program someone waits on: the web server and the queue and timer listeners,
    /// then the engine, which hands its partition leases back so that the next host takes them at once. Each step gets
    /// <paramref name="drainLimit"/> to finish its requests and function runs before they are cut short, and the engine
    /// <paramref name="engineLimit"/>: without storage it would retry its lease release for minutes, so it is left behind
    /// to end with the process (its leases then expire as a crashed host's do). False if any step was given up.
    /// </summary>
    public async Task<bool> StopWithinAsync(TimeSpan drainLimit, TimeSpan engineLimit, Action<string> progress)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return true;
        }

        // The grace past the drain limit lets a cut-short step unwind; past it the step is abandoned.
        TimeSpan stepLimit = drainLimit + TimeSpan.FromSeconds(0.5);
        // Independent of each other, so side by side; both before the engine, which their requests and runs may wait on.
        bool[] drained = await Task.WhenAll(
            StopStep.RunAsync("the web server", async () =>
            {
                using var drain = new CancellationTokenSource(drainLimit);
                await app.StopAsync(drain.Token);
            }, stepLimit, progress),
            StopStep.RunAsync("the queue and timer listeners", async () =>
            {
                using var drain = new CancellationTokenSource(drainLimit);
                await triggers.StopAsync(drain.Token);
            }, stepLimit, progress));
        bool clean = drained.All(done => done);
        clean &= await StopStep.RunAsync("the Durable Task engine (handing its partitions back)", engine.StopAsync, engineLimit, progress);
        clean &= await StopStep.RunAsync("the web host's services", async () => await app.DisposeAsync(), TimeSpan.FromSeconds(1), _ => { });
        return clean;
    }

    /// <summary>
    /// Simulated crash: Kestrel is torn down with no grace period and the engine stopped forced, without waiting for
    /// in-flight work items. Whatever was not checkpointed is left to the next host on the same storage.
    /// </summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        Task web = app.StopAsync(expired.Token);
        Task work = engine.KillAsync();
        Task listeners = triggers.KillAsync();
        try
        {
            await Task.WhenAll(web, work, listeners);
        }
        catch (OperationCanceledException)
        {
            // Expected with an expired token.
        }

        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
