using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace QueueFunctions.Queueing;

/// <summary>
/// This app instance's watchers, one per clinic in use. A watcher leaves the registry when its last listener has gone,
/// so clinic ids that anyone may make up (with an empty <c>Queue:Clinics</c>) cost memory only while they are followed.
/// </summary>
public sealed class ClinicWatchers(ClinicStateReader reader, WatchPace pace, ILogger<ClinicWatcher> logger)
{
    private readonly ConcurrentDictionary<string, ClinicWatcher> watchers = new(StringComparer.Ordinal);

    /// <summary>Clinics with a watcher in the registry: those followed or waited on now, or a moment ago.</summary>
    public int Count => watchers.Count;

    public ClinicWatcher For(string clinic) =>
        watchers.GetOrAdd(clinic, id => new ClinicWatcher(id, reader, pace, logger, Release, Return));

    // Only this very watcher: a newer one may already hold the clinic's place.
    private void Release(ClinicWatcher watcher) => watchers.TryRemove(new KeyValuePair<string, ClinicWatcher>(watcher.Clinic, watcher));

    // A listener reached a watcher just as it was released: it serves that listener whether or not it gets its place back.
    private void Return(ClinicWatcher watcher) => watchers.TryAdd(watcher.Clinic, watcher);
}
