using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.Benchmarks.Shared;

/// <summary>Counts the hosts' warnings and errors and keeps the first few, instead of printing thousands of lines.</summary>
public sealed class HostLog : ILoggerProvider
{
    readonly ConcurrentQueue<string> first = new();
    int warnings;
    int errors;

    public int Warnings => Volatile.Read(ref warnings);

    public int Errors => Volatile.Read(ref errors);

    public IReadOnlyCollection<string> First => first;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    void Write(LogLevel level, string category, string message)
    {
        if (level >= LogLevel.Error)
        {
            Interlocked.Increment(ref errors);
        }
        else
        {
            Interlocked.Increment(ref warnings);
        }

        if (first.Count < 8)
        {
            var line = message.Split('\n', 2)[0].Trim();
            first.Enqueue($"{level} {category}: {(line.Length > 240 ? line[..240] + "..." : line)}");
        }
    }

    sealed class Logger(HostLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, category, formatter(state, exception) + (exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message));
            }
        }
    }
}
