using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.Tests.Support.Engine;

/// <summary>Keeps every log entry of a host in memory, so a test can check what was logged and at which level.</summary>
/// <param name="minimum">The lowest level kept; a test looking for anything ever written takes <see cref="LogLevel.Trace"/>.</param>
public sealed class CapturedLogs(LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public LogLevel Minimum { get; } = minimum;

    /// <summary>The text of every logging scope opened, which providers that print scopes would write too.</summary>
    public ConcurrentQueue<string> Scopes { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            logs.Scopes.Enqueue(state.ToString() ?? "");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= logs.Minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
    }
}
