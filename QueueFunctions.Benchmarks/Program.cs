using System.Globalization;
using QueueFunctions.Benchmarks.Enter;
using QueueFunctions.Benchmarks.Load;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Stages;
using QueueFunctions.Benchmarks.Streams;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    if (e.Message != "help")
    {
        Console.Error.WriteLine(e.Message);
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return e.Message == "help" ? 0 : 2;
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine($"Clinic queue benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"Machine: {Machine.Describe()}");
Console.WriteLine($"Options: {options.Describe()}");

// Both ends of every connection live in this process: each stream or burst request costs two descriptors.
var needed = 2L * ((options.RunStreams ? options.Streams + 16 * options.StreamsPerClinic : 0) + (options.RunEnter ? options.Enters : 0)
                   + (options.RunLoad ? Math.Max(100, Math.Max(options.WideClients, options.InstanceClients)) : 0)) + 1000;
var (soft, hard) = Machine.OpenFileLimit();
Console.WriteLine($"Open files limit: {soft} (hard {hard}); this run needs about {needed}.");
if (soft >= 0 && soft < needed)
{
    Console.WriteLine($"WARNING: the open files limit ({soft}) is too low for this run: raise it in the shell first, " +
                      $"e.g. `ulimit -n {Math.Max(needed, 65536)}` (the hard limit is {hard}), or use fewer streams/enters. Streams beyond the limit will fail.");
}

// Bounded: Ctrl+C, or a generous ceiling on the whole run, stops everything.
// The load scenario: 13 cases, each up to its length plus 70 s of grace, prefills, and instances starting and settling.
var loadCeiling = options.RunLoad ? 13 * (options.LoadSeconds + 70) + options.TakeoverSeconds + 1800 : 0;
using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds + 1200 + loadCeiling));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var repo = AzuriteProcess.FindRepositoryRoot()
    ?? throw new InvalidOperationException("No node_modules/azurite above " + AppContext.BaseDirectory + ": run `npm ci` at the repository root first.");
var dataDir = Path.Combine(Path.GetTempPath(), "queue-bench-" + Guid.NewGuid().ToString("N")[..12]);

// Streams must not be closed by the server during the run: StreamMinutes above the whole streams scenario.
var streamMinutes = Math.Min(9, Math.Ceiling((options.Seconds + 240) / 60.0));
var settings = new Dictionary<string, string?>
{
    // A burst of 1,000 on a shared 2-core machine can take longer than the 10 s default to confirm; a 504 would be noise.
    ["Queue:ConfirmTimeoutSeconds"] = "60",
    ["Queue:HeartbeatSeconds"] = "15",
    ["Queue:RefreshSeconds"] = "5",
    ["Queue:StreamMinutes"] = streamMinutes.ToString(CultureInfo.InvariantCulture),
    // The benchmark measures the engine's capacity: the flood limits (20 enters/s per clinic after a burst of 300, 1,000
    // streams per clinic) would cap it at once.
    ["Limits:Enabled"] = "false",
    // Nor may the cap on a clinic's waiting tickets: closed-loop clients only enter, so a case fills 1,000 in seconds.
    ["Queue:MaxWaiting"] = "100000",
};
Console.WriteLine($"App settings: {string.Join(", ", settings.Select(s => s.Key + "=" + s.Value))}");

var report = new Report();
var log = new HostLog();
var load = new LoadResults();
AzuriteProcess? azurite = null;
LocalQueueHost? app = null;
LocalQueueHost? orchestrationHost = null;
var exitCode = 0;
try
{
    Measure.Progress($"Starting Azurite from {repo}/node_modules (data in {dataDir}) ...");
    azurite = await AzuriteProcess.StartAsync(repo, dataDir, cancellationToken: cancel.Token);
    Measure.Progress($"Azurite on 127.0.0.1:{azurite.BlobPort}/{azurite.QueuePort}/{azurite.TablePort}.");
    if (options.RunStreams || options.RunEnter)
    {
        Measure.Progress("Starting the app on the local host ...");
        app = await BenchHost.StartAppAsync(azurite.ConnectionString, settings, log);
        Measure.Progress($"App at {app.BaseAddress} (task hub {app.TaskHubName}).");
    }

    if (options.RunStreams && app is not null)
    {
        await new StreamsScenario(options, app, log, report).RunAsync(cancel.Token);
    }

    if (options.RunEnter && app is not null)
    {
        var enter = new EnterScenario(options, report);
        var viaHttp = await enter.RunHttpAsync(app, cancel.Token);

        // Only one host runs at a time, so (b) does not share the machine with the app's engine.
        Measure.Progress("Stopping the app; starting the orchestration host (benchmark assembly: the app's entity + a calling orchestration) ...");
        await app.StopAsync(cancel.Token);
        orchestrationHost = await BenchHost.StartOrchestrationHostAsync(azurite.ConnectionString, settings, log);
        var viaOrchestration = await enter.RunOrchestrationAsync(orchestrationHost, null, cancel.Token);

        // Orchestrations left over from a cut-off burst must not load the next run: stop that host without draining.
        Measure.Progress("Stopping the orchestration host; starting a fresh one (new task hub) for (b2) ...");
        await orchestrationHost.KillAsync();
        orchestrationHost = await BenchHost.StartOrchestrationHostAsync(azurite.ConnectionString, settings, log);
        var viaPolling = await enter.RunOrchestrationAsync(orchestrationHost, TimeSpan.FromSeconds(2), cancel.Token);
        await orchestrationHost.KillAsync();
        orchestrationHost = null;
        enter.Report(viaHttp, viaOrchestration, viaPolling);
    }

    if (options.RunLoad)
    {
        // Each part of the load scenario starts the hosts it needs; nothing else may load the machine meanwhile.
        if (app is not null)
        {
            await app.StopAsync(cancel.Token);
            app = null;
        }

        await new LoadScenario(options, azurite, settings, log, load).RunAsync(cancel.Token);
    }

    if (options.RunBaseline)
    {
        if (app is not null)
        {
            await app.StopAsync(cancel.Token);
            app = null;
        }

        await new BaselineScenario(options, azurite, settings, load).RunAsync(cancel.Token);
    }

    if (options.RunStages)
    {
        await new StagesScenario(options, azurite, settings, log, report).RunAsync(cancel.Token);
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.WriteLine("Stopped (Ctrl+C or the run's time limit) before the end; the figures below are partial.");
    exitCode = 1;
}
catch (Exception e)
{
    Console.WriteLine("The benchmark failed: " + e);
    exitCode = 1;
}
finally
{
    Measure.Progress("Stopping the hosts and Azurite ...");
    using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    foreach (var host in new[] { orchestrationHost, app }.OfType<LocalQueueHost>())
    {
        try
        {
            await host.StopAsync(stopping.Token);
        }
        catch (Exception e)
        {
            Console.WriteLine("Could not stop a host cleanly: " + e.Message);
            await host.KillAsync();
        }
    }

    if (azurite is not null)
    {
        await azurite.DisposeAsync();
    }

    try
    {
        Directory.Delete(dataDir, recursive: true);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
    }
}

if (options.RunStreams || options.RunEnter)
{
    References.Add(report);
}

if (load.Cases.Count > 0)
{
    report.AddBlock(LoadTable.Title, LoadTable.Lines(load));
}

report.Print(Console.Out);
Console.WriteLine();
if (options.RunStreams)
{
    Console.WriteLine(StreamsScenario.Method);
}

if (options.RunEnter)
{
    Console.WriteLine(EnterScenario.Method);
}

if (options.RunStages)
{
    Console.WriteLine(StagesScenario.Method);
}

if (options.RunBaseline)
{
    Console.WriteLine(BaselineScenario.Method);
}

if (options.RunLoad)
{
    Console.WriteLine(LoadScenario.Method);
    if (load.Cases.Count > 0)
    {
        var plot = options.PlotPath ?? Path.Combine(repo, "docs", "benchmark-latency.png");
        try
        {
            LatencyPlot.Write(plot, load.Cases);
            Console.WriteLine($"Latency plot written to {Path.GetFullPath(plot)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or TypeInitializationException)
        {
            Console.WriteLine($"The latency plot could not be written to {plot}: {e.Message}");
            exitCode = 1;
        }
    }
}

Console.WriteLine("""
    Machine note: the app, the Durable Task engine, the stream clients and Azurite (a separate node process) share
    this machine's cores, which are also shared with other work. Absolute figures are noisy; read the ratios.
    """);
if (log.First.Count > 0)
{
    Console.WriteLine("First warnings/errors logged by the hosts:");
    foreach (var line in log.First)
    {
        Console.WriteLine("  " + line);
    }
}

// A broken guarantee fails the run, loudly, whatever the figures.
if (load.Broken.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine($"FAILED: {load.Broken.Count} guarantee(s) or check(s) broken:");
    foreach (var broken in load.Broken)
    {
        Console.WriteLine("  " + broken);
    }

    exitCode = 1;
}

return exitCode;
