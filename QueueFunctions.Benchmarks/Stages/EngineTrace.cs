using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Stages;

/// <summary>One log event of the Durable Task engine, on the benchmark's clock, with its structured fields.</summary>
public sealed record EngineEvent(long At, string Category, string Name, IReadOnlyDictionary<string, string> Fields, string Message)
{
    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;

    public string? InstanceId => this["InstanceId"];
}

/// <summary>
/// Keeps the Durable Task engine's own log events (DurableTask.Core and DurableTask.AzureStorage: message received,
/// history fetched, entity batch run, history appended, message deleted ...) with the time they were written. The
/// engine writes them on the thread doing the work, so their time is when that step happened.
/// </summary>
public sealed class EngineTrace : ILoggerProvider
{
    /// <summary>The engine's log categories start with this (DurableTask.Core, DurableTask.AzureStorage).</summary>
    public const string CategoryPrefix = "DurableTask.";

    readonly ConcurrentQueue<EngineEvent> events = new();
    volatile bool recording;

    public bool Recording
    {
        get => recording;
        set => recording = value;
    }

    public IReadOnlyList<EngineEvent> Events => [.. events.OrderBy(e => e.At)];

    public void Clear() => events.Clear();

    /// <summary>Lets the engine's debug events through to this provider only; the console and the host log keep their levels.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.AddProvider(this);
        logging.AddFilter<EngineTrace>(CategoryPrefix.TrimEnd('.'), LogLevel.Debug);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    sealed class Logger(EngineTrace owner, string category) : ILogger
    {
        readonly bool engine = category.StartsWith(CategoryPrefix, StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => engine && owner.recording;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var at = Measure.Now;
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    fields[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                }
            }
            else if (state is IEnumerable<KeyValuePair<string, object>> strict)
            {
                foreach (var (key, value) in strict)
                {
                    fields[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                }
            }

            owner.events.Enqueue(new EngineEvent(at, category, eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), fields, formatter(state, exception)));
        }
    }
}
