using Microsoft.Extensions.Logging;

namespace QueueFunctions.LocalHost.Hosting;

/// <summary>
/// Warnings raised while the settings are read, before the host's loggers exist (the Durable extension warns about
/// host.json values it accepts but dislikes): they go to the start-up progress lines.
/// </summary>
sealed class ProgressLogger(Action<string> progress) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            progress($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
