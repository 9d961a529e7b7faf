using System.Runtime.InteropServices;

namespace QueueFunctions.LocalHost.CommandLine;

/// <summary>
/// Ctrl+C and SIGTERM for the program: the first asks for the graceful, bounded stop; a second one exits at once, for
/// someone who will not wait even those few seconds.
/// </summary>
sealed class StopSignals : IDisposable
{
    readonly CancellationTokenSource stop;
    readonly PosixSignalRegistration[] registrations;
    int received;

    public StopSignals(CancellationTokenSource stop)
    {
        this.stop = stop;
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Exit code of a stop forced by a second signal: 128 + SIGINT, as a shell reports an interrupted program.</summary>
    public const int ForcedExitCode = 130;

    void OnSignal(PosixSignalContext context)
    {
        // Without this the runtime would end the process right away, skipping the graceful stop.
        context.Cancel = true;
        if (Interlocked.Increment(ref received) == 1)
        {
            stop.Cancel();
            return;
        }

        Console.WriteLine("Second stop signal: exiting at once.");
        Environment.Exit(ForcedExitCode);
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in registrations)
        {
            registration.Dispose();
        }
    }
}
