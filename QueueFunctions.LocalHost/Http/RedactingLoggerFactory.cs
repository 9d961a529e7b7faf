using Microsoft.Extensions.Logging;

namespace QueueFunctions.LocalHost.Http;

/// <summary>
/// The host's logger factory, passing every entry on unchanged unless its text or one of its values holds a function key
/// given as <c>?code=</c>; such an entry goes on with the key hidden, in its message and in its structured values alike,
/// so no provider (console, file, a test's capture) ever sees it. The Functions host sanitizes its logs the same way.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            IReadOnlyList<KeyValuePair<string, object?>> values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            if (!QueryKeyRedaction.NeedsRedaction(message) && !values.Any(v => v.Value?.ToString() is { } text && QueryKeyRedaction.NeedsRedaction(text)))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var redacted = new RedactedEntry(
                QueryKeyRedaction.Redact(message),
                values.Select(v => new KeyValuePair<string, object?>(
                    v.Key, v.Value?.ToString() is { } text && QueryKeyRedaction.NeedsRedaction(text) ? QueryKeyRedaction.Redact(text) : v.Value)).ToList());
            inner.Log(logLevel, eventId, redacted, exception, static (entry, _) => entry.Message);
        }
    }

    /// <summary>An entry's text and values with the key hidden; structured providers read the values, others the text.</summary>
    sealed class RedactedEntry(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}
