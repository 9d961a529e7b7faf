using System.Diagnostics;
using System.Globalization;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>One step of a bounded stop: reported, timed, and given up after its limit.</summary>
static class StopStep
{
    /// <summary>
    /// Runs <paramref name="step"/> and waits for it at most <paramref name="limit"/>. A stop must end even when storage
    /// no longer answers (the engine would otherwise retry its lease release for minutes), so a step that overruns is
    /// left behind, to end with the process. False if it overran or failed.
    /// </summary>
    public static async Task<bool> RunAsync(string what, Func<Task> step, TimeSpan limit, Action<string> progress)
    {
        progress($"Stopping {what} ...");
        var clock = Stopwatch.StartNew();
        Task running;
        try
        {
            running = step();
        }
        catch (Exception e)
        {
            running = Task.FromException(e);
        }

        try
        {
            await running.WaitAsync(limit);
            progress($"Stopped {what} in {Seconds(clock.Elapsed)} s.");
            return true;
        }
        catch (TimeoutException)
        {
            progress($"Gave up stopping {what} after {Seconds(clock.Elapsed)} s.");
            _ = running.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return false;
        }
        catch (OperationCanceledException)
        {
            // The step's own deadline cut its draining short (open requests, running functions): it did stop.
            progress($"Stopped {what} in {Seconds(clock.Elapsed)} s, cutting short what was still running.");
            return true;
        }
        catch (Exception e)
        {
            progress($"Stopping {what} failed after {Seconds(clock.Elapsed)} s: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
