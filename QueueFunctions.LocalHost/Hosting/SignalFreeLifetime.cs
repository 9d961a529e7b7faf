using Microsoft.Extensions.Hosting;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>
/// The web host's lifetime without the console lifetime's signal handling. That one takes Ctrl+C and SIGTERM for
/// itself (so a second signal could not end the process) and, at process exit, waits up to the host's shutdown timeout
/// for the host to be disposed; the local host is stopped by whoever started it (the program's <see cref="CommandLine.StopSignals"/>).
/// </summary>
sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
