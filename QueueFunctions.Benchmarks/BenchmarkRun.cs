using System.Globalization;
using QueueFunctions.Benchmarks.Day;
using QueueFunctions.Benchmarks.Enter;
using QueueFunctions.Benchmarks.Load;
using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Benchmarks.Stages;
using QueueFunctions.Benchmarks.Streams;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Benchmarks;

/// <summary>
/// One run of the benchmark: an Azurite of its own, the scenarios asked for one after the other, then the report, the
/// methods and the checks. The exit code is 1 when the run stopped early, failed, or broke a guarantee.
/// </summary>
sealed class BenchmarkRun(BenchOptions options)
{
    readonly Report report = new();
    readonly HostLog log = new();
    readonly LoadResults load = new();
    readonly string dataDir = Path.Combine(Path.GetTempPath(), "queue-bench-" + Guid.NewGuid().ToString("N")[..12]);
    AzuriteProcess? azurite;
    LocalQueueHost? app;
    LocalQueueHost? orchestrationHost;

    public async Task<int> RunAsync()
    {
        Console.WriteLine($"Clinic queue benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Machine: {Machine.Describe()}");
        Console.WriteLine($"Options: {options.Describe()}");
        WarnOnOpenFileLimit();

        // Bounded: Ctrl+C, or a generous ceiling on the whole run, stops everything.
        using var cancel = new CancellationTokenSource(TimeLimit());
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var repo = AzuriteProcess.FindRepositoryRoot()
            ?? throw new InvalidOperationException("No node_modules/azurite above " + AppContext.BaseDirectory + ": run `npm ci` at the repository root first.");
        var settings = AppSettings();
        Console.WriteLine($"App settings: {string.Join(", ", settings.Select(s => s.Key + "=" + s.Value))}");

        var ranThrough = await RunScenariosAsync(repo, settings, cancel);
        PrintReport();
        var plotted = PrintMethods(repo);
        PrintNotes();
        var kept = PrintBrokenGuarantees();
        return ranThrough && plotted && kept ? 0 : 1;
    }

    /// <summary>Both ends of every connection live in this process: each stream or burst request costs two descriptors.</summary>
    void WarnOnOpenFileLimit()
    {
        var needed = 2L * ((options.RunStreams ? options.Streams + 16 * options.StreamsPerClinic : 0) + (options.RunEnter ? options.Enters : 0)
                           + (options.RunRush ? Math.Max(100, Math.Max(options.WideClients, options.InstanceClients)) : 0)) + 1000;
        var (soft, hard) = Machine.OpenFileLimit();
        Console.WriteLine($"Open files limit: {soft} (hard {hard}); this run needs about {needed}.");
        if (soft >= 0 && soft < needed)
        {
            Console.WriteLine($"WARNING: the open files limit ({soft}) is too low for this run: raise it in the shell first, " +
                              $"e.g. `ulimit -n {Math.Max(needed, 65536)}` (the hard limit is {hard}), or use fewer streams/enters. Streams beyond the limit will fail.");
        }
    }

    /// <summary>The load scenario: 17 cases, each up to its length plus 70 s of grace, prefills, and instances starting and settling.</summary>
    TimeSpan TimeLimit()
    {
        var loadCeiling = options.RunRush ? 17 * (options.LoadSeconds + 70) + options.TakeoverSeconds + 1800 : 0;
        var dayCeiling = options.RunDay ? Math.Max(1, options.DayPartitions.Count) * (options.SilenceSeconds + options.DaySeconds + 900) : 0;
        return TimeSpan.FromSeconds(options.Seconds + 1200 + loadCeiling + dayCeiling);
    }

    Dictionary<string, string?> AppSettings()
    {
        // Streams must not be closed by the server during the run: StreamMinutes above the whole streams scenario.
        var streamMinutes = Math.Min(9, Math.Ceiling((options.Seconds + 240) / 60.0));
        return new Dictionary<string, string?>
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
    }

    /// <summary>False when the run was stopped or failed before the end: the figures are then partial.</summary>
    async Task<bool> RunScenariosAsync(string repo, Dictionary<string, string?> settings, CancellationTokenSource cancel)
    {
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
                await RunEnterAsync(azurite, app, settings, cancel.Token);
            }

            if (options.RunRush)
            {
                // Each part of the load scenario starts the hosts it needs; nothing else may load the machine meanwhile.
                await StopAppAsync(cancel.Token);
                await new LoadScenario(options, azurite, settings, log, load).RunAsync(cancel.Token);
            }

            if (options.RunBaseline)
            {
                await StopAppAsync(cancel.Token);
                await new BaselineScenario(options, azurite, settings, load).RunAsync(cancel.Token);
            }

            if (options.RunDay)
            {
                await StopAppAsync(cancel.Token);
                foreach (var partitions in options.DayPartitions.DefaultIfEmpty(0))
                {
                    await new DayScenario(options, azurite, settings, report, load, partitions).RunAsync(cancel.Token);
                }
            }

            if (options.RunStages)
            {
                await new StagesScenario(options, azurite, settings, log, report).RunAsync(cancel.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.WriteLine("Stopped (Ctrl+C or the run's time limit) before the end; the figures below are partial.");
            return false;
        }
        catch (Exception e)
        {
            Console.WriteLine("The benchmark failed: " + e);
            return false;
        }
        finally
        {
            await StopEverythingAsync();
        }
    }

    /// <summary>Scenario 2: (a) on the app, then (b) and (b2) each on a fresh orchestration host, with only one host running at a time.</summary>
    async Task RunEnterAsync(AzuriteProcess storage, LocalQueueHost appHost, Dictionary<string, string?> settings, CancellationToken cancel)
    {
        var enter = new EnterScenario(options, report);
        var viaHttp = await enter.RunHttpAsync(appHost, cancel);

        // Only one host runs at a time, so (b) does not share the machine with the app's engine.
        Measure.Progress("Stopping the app; starting the orchestration host (benchmark assembly: the app's entity + a calling orchestration) ...");
        await appHost.StopAsync(cancel);
        orchestrationHost = await BenchHost.StartOrchestrationHostAsync(storage.ConnectionString, settings, log);
        var viaOrchestration = await enter.RunOrchestrationAsync(orchestrationHost, null, cancel);

        // Orchestrations left over from a cut-off burst must not load the next run: stop that host without draining.
        Measure.Progress("Stopping the orchestration host; starting a fresh one (new task hub) for (b2) ...");
        await orchestrationHost.KillAsync();
        orchestrationHost = await BenchHost.StartOrchestrationHostAsync(storage.ConnectionString, settings, log);
        var viaPolling = await enter.RunOrchestrationAsync(orchestrationHost, TimeSpan.FromSeconds(2), cancel);
        await orchestrationHost.KillAsync();
        orchestrationHost = null;
        enter.Report(viaHttp, viaOrchestration, viaPolling);
    }

    async Task StopAppAsync(CancellationToken cancel)
    {
        if (app is not null)
        {
            await app.StopAsync(cancel);
            app = null;
        }
    }

    async Task StopEverythingAsync()
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

    void PrintReport()
    {
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
    }

    /// <summary>How each scenario that ran measured, and the load scenario's plot; false when the plot could not be written.</summary>
    bool PrintMethods(string repo)
    {
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

        if (options.RunDay)
        {
            Console.WriteLine(DayScenario.Method);
        }

        if (!options.RunRush)
        {
            return true;
        }

        Console.WriteLine(LoadScenario.Method);
        return load.Cases.Count == 0 || WritePlot(repo);
    }

    bool WritePlot(string repo)
    {
        var plot = options.PlotPath ?? Path.Combine(repo, "docs", "benchmark-latency.png");
        try
        {
            LatencyPlot.Write(plot, load.Cases);
            Console.WriteLine($"Latency plot written to {Path.GetFullPath(plot)}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or TypeInitializationException)
        {
            Console.WriteLine($"The latency plot could not be written to {plot}: {e.Message}");
            return false;
        }
    }

    void PrintNotes()
    {
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
    }

    /// <summary>A broken guarantee fails the run, loudly, whatever the figures. False when one was broken.</summary>
    bool PrintBrokenGuarantees()
    {
        if (load.Broken.Count == 0)
        {
            return true;
        }

        Console.WriteLine();
        Console.WriteLine($"FAILED: {load.Broken.Count} guarantee(s) or check(s) broken:");
        foreach (var broken in load.Broken)
        {
            Console.WriteLine("  " + broken);
        }

        return false;
    }
}
