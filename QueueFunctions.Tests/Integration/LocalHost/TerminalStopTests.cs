using System.Diagnostics;
using System.Net.Http.Json;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Tests.Support.Terminal;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.LocalHost;

/// <summary>
/// The local host program as a person meets it: started in a real terminal (tmux), stopped with Ctrl+C, which the
/// terminal sends to the program's whole process group. The program stops the app first and its Azurite last, within
/// seconds whatever storage does, and hands its partitions back so that the next start serves at once.
/// </summary>
[Collection(TerminalCollection.Name)]
public sealed class TerminalStopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(120);

    /// <summary>About 2.5 s measured (the engine's lease release most of it); the program's own limits add up to 15 s at worst.</summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstEnterLimit = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Ctrl_C_stops_the_app_and_then_its_Azurite_within_seconds_and_the_next_start_serves_its_first_enter_within_2_s()
    {
        using var host = TerminalLocalHost.Open();
        var first = await host.StartAsync(StartLimit);
        await EnterAsync(host, "warm-up");

        host.PressCtrlC();
        var sinceCtrlC = Stopwatch.StartNew();
        var programEnded = await host.WaitUntilEndedAsync(first.ProgramId, sinceCtrlC, StopLimit, "The program");
        var azuriteEnded = await host.WaitUntilEndedAsync(first.AzuriteId, sinceCtrlC, StopLimit, "Its Azurite");
        output.WriteLine($"After Ctrl+C: program ended in {programEnded.TotalSeconds:0.00} s, its Azurite in {azuriteEnded.TotalSeconds:0.00} s.");

        var text = host.Text();
        Assert.False(AzuriteProcess.IsListening(host.HttpPort), "The HTTP port still answers after the program ended.");
        Assert.All(first.AzuritePorts, port => Assert.False(AzuriteProcess.IsListening(port), $"Azurite's port {port} still answers."));
        Assert.Contains("Stopped the Durable Task engine", text);
        Assert.True(
            text.IndexOf("Stopped the Durable Task engine", StringComparison.Ordinal) < text.IndexOf("Stopped Azurite", StringComparison.Ordinal),
            "Azurite was stopped before the engine:\n" + text);
        Assert.Equal(0, await host.LastExitCodeAsync(TimeSpan.FromSeconds(10)));

        var second = await host.StartAsync(StartLimit);
        var (status, took) = await EnterAsync(host, "X");
        var sinceRunning = second.SeenRunning.Elapsed;
        output.WriteLine($"Next start: first enter answered {status} in {took.TotalSeconds:0.00} s, {sinceRunning.TotalSeconds:0.00} s after the program said it was running.");
        Assert.Equal(200, status);
        Assert.True(sinceRunning < FirstEnterLimit, $"The first enter after a clean restart took {sinceRunning.TotalSeconds:0.00} s.");

        host.PressCtrlC();
        await host.WaitUntilEndedAsync(second.ProgramId, Stopwatch.StartNew(), StopLimit, "The second program");
    }

    [Fact]
    public async Task Ctrl_C_after_Azurite_died_still_ends_the_program_within_seconds()
    {
        using var host = TerminalLocalHost.Open();
        var run = await host.StartAsync(StartLimit);
        await EnterAsync(host, "warm-up");
        await StorageGoneAsync(run);

        host.PressCtrlC();
        var sinceCtrlC = Stopwatch.StartNew();
        var programEnded = await host.WaitUntilEndedAsync(run.ProgramId, sinceCtrlC, StopLimit, "The program");
        var azuriteEnded = await host.WaitUntilEndedAsync(run.AzuriteId, sinceCtrlC, StopLimit, "Its Azurite");
        output.WriteLine($"Storage gone, after Ctrl+C: program ended in {programEnded.TotalSeconds:0.00} s, its Azurite process in {azuriteEnded.TotalSeconds:0.00} s.");
        Assert.False(AzuriteProcess.IsListening(host.HttpPort), "The HTTP port still answers after the program ended.");
        Assert.Contains("Stopped in", host.Text());
    }

    [Fact]
    public async Task A_second_Ctrl_C_ends_a_stop_that_waits_on_lost_storage_at_once()
    {
        using var host = TerminalLocalHost.Open();
        var run = await host.StartAsync(StartLimit);
        await EnterAsync(host, "warm-up");
        await StorageGoneAsync(run);

        host.PressCtrlC();
        var text = await Support.Eventually.UntilAsync(
            () => Task.FromResult(host.Text()), t => t.Contains("Stopping the Durable Task engine", StringComparison.Ordinal), StopLimit, "the stop to reach the engine");
        Assert.DoesNotContain("Stopped the Durable Task engine", text);

        host.PressCtrlC();
        var sinceSecond = Stopwatch.StartNew();
        var ended = await host.WaitUntilEndedAsync(run.ProgramId, sinceSecond, TimeSpan.FromSeconds(2), "The program");
        output.WriteLine($"After the second Ctrl+C: program ended in {ended.TotalSeconds:0.00} s.");
        Assert.Equal(130, await host.LastExitCodeAsync(TimeSpan.FromSeconds(10)));

        // The program no longer stops its Azurite: the Azurite ends itself once the program's end closes its stdin.
        var azuriteEnded = await host.WaitUntilEndedAsync(run.AzuriteId, sinceSecond, StopLimit, "Its Azurite");
        output.WriteLine($"Its Azurite process ended {azuriteEnded.TotalSeconds:0.00} s after the second Ctrl+C.");
    }

    /// <summary>Stops the program's Azurite behind its back, as the terminal's Ctrl+C used to, and waits until its ports are shut.</summary>
    private static async Task StorageGoneAsync(ProgramRun run)
    {
        using (var interrupt = Process.Start("kill", ["-INT", run.AzuriteId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        await Support.Eventually.TrueAsync(
            () => run.AzuritePorts.All(port => !AzuriteProcess.IsListening(port)), TimeSpan.FromSeconds(10), "Azurite's ports to close");
    }

    private static async Task<(int Status, TimeSpan Took)> EnterAsync(TerminalLocalHost host, string user)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("api/v1/queue/enter", new { clinic = "lab", user });
        return ((int)response.StatusCode, clock.Elapsed);
    }
}

/// <summary>
/// The terminal tests time a stop and a first request in seconds, so they run alone, after the parallel collections,
/// rather than beside the suite's engine and browser tests on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TerminalCollection
{
    public const string Name = "Terminal";
}
