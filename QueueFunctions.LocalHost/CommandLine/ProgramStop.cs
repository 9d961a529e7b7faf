using System.Diagnostics;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.LocalHost.CommandLine;

/// <summary>
/// The program's stop, app first and its storage last, in a few seconds whatever storage does: someone is waiting at
/// the terminal, and the next start should find the partitions handed back rather than wait for their leases to expire.
/// </summary>
static class ProgramStop
{
    /// <summary>How long open requests and running queue or timer functions may take to finish; then they are cut short.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The engine's graceful stop, lease release included, takes about a second against a live Azurite; without storage it
    /// would retry for minutes.
    /// </summary>
    public static readonly TimeSpan EngineLimit = TimeSpan.FromSeconds(4);

    /// <summary>Azurite saves its data and closes within a fraction of a second; past this it is killed.</summary>
    public static readonly TimeSpan AzuriteLimit = TimeSpan.FromSeconds(3);

    public static async Task StopAsync(LocalQueueHost? host, AzuriteProcess? azurite)
    {
        var clock = Stopwatch.StartNew();

        // Read before the stop: a stopped Azurite no longer owns its process.
        bool stopsSomething = host is not null || azurite is { OwnsProcess: true };
        if (host is not null)
        {
            Console.WriteLine("Stopping the clinic queue ...");
            await host.StopWithinAsync(DrainLimit, EngineLimit, Console.WriteLine);
        }

        if (azurite is { OwnsProcess: true })
        {
            await StopStep.RunAsync("Azurite", () => azurite.StopAsync(AzuriteLimit), AzuriteLimit + TimeSpan.FromSeconds(1), Console.WriteLine);
        }
        else if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        if (stopsSomething)
        {
            Console.WriteLine($"Stopped in {StopStep.Seconds(clock.Elapsed)} s.");
        }
    }
}
