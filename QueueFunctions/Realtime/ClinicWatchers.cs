using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using QueueFunctions.Entities;

namespace QueueFunctions.Realtime;

/// <summary>This app instance's watchers, one per clinic, made on first use.</summary>
public sealed class ClinicWatchers(ClinicStateReader reader, WatchPace pace, ILogger<ClinicWatcher> logger)
{
    private readonly ConcurrentDictionary<string, ClinicWatcher> watchers = new(StringComparer.Ordinal);

    public ClinicWatcher For(string clinic) =>
        watchers.GetOrAdd(clinic, id => new ClinicWatcher(id, reader, pace, logger));
}
