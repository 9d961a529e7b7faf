using QueueFunctions.Benchmarks.Shared;
using QueueFunctions.Domain;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Queueing;

namespace QueueFunctions.Benchmarks.Streams;

/// <summary>What is known about one clinic: versions the app's watcher saw, versions the probe saw, and the flow's requests.</summary>
public sealed class ClinicTrack(string clinic)
{
    readonly object gate = new();
    readonly SortedDictionary<long, long> delivered = [];
    readonly Dictionary<long, long> probed = [];
    readonly List<(string User, bool Done, long Sent, long? Version)> requests = [];
    readonly Queue<string> waiting = new();
    int users;

    public string Clinic { get; } = clinic;

    public long LatestVersion
    {
        get
        {
            lock (gate)
            {
                return delivered.Count == 0 ? 0 : delivered.Keys.Last();
            }
        }
    }

    /// <summary>(version, when the app's watcher handed it out), in version order.</summary>
    public List<(long Version, long Seen)> Delivered
    {
        get
        {
            lock (gate)
            {
                return delivered.Select(d => (d.Key, d.Value)).ToList();
            }
        }
    }

    public string NextUser() => "p" + (Interlocked.Increment(ref users) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public long Sent(string user, bool done)
    {
        var now = Measure.Now;
        lock (gate)
        {
            requests.Add((user, done, now, null));
        }

        return now;
    }

    public void Confirmed(string user)
    {
        lock (gate)
        {
            waiting.Enqueue(user);
        }
    }

    public string? TakeWaitingUser()
    {
        lock (gate)
        {
            return waiting.TryDequeue(out var user) ? user : null;
        }
    }

    public IEnumerable<long> RequestsFor(long version)
    {
        lock (gate)
        {
            return requests.Where(r => r.Version == version).Select(r => r.Sent).ToList();
        }
    }

    public long FirstObservable(long version, long seenByWatcher)
    {
        lock (gate)
        {
            return probed.TryGetValue(version, out var probe) ? Math.Min(probe, seenByWatcher) : seenByWatcher;
        }
    }

    /// <summary>Watcher time minus probe time, for versions both saw.</summary>
    public List<double> WatcherLagBehindProbe()
    {
        lock (gate)
        {
            return delivered.Where(d => probed.ContainsKey(d.Key)).Select(d => Measure.Ms(probed[d.Key], d.Value)).ToList();
        }
    }

    /// <summary>Follows the app's own watcher of this clinic, like one more stream, recording when each version came out.</summary>
    public async Task ObserveWatcherAsync(ClinicWatcher watcher, LocalQueueHost host, CancellationToken stop)
    {
        using var subscription = watcher.Subscribe(host.Client);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await subscription.NextChangeAsync(TimeSpan.FromSeconds(1), stop) is { } state)
                {
                    Record(state, Measure.Now);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the entity directly (not through the app's reader) every <paramref name="interval"/>.</summary>
    public async Task ProbeAsync(LocalQueueHost host, TimeSpan interval, CancellationToken stop)
    {
        var id = ClinicStateReader.EntityIdOf(Clinic);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var state = await host.Client.Entities.GetEntityAsync<ClinicQueueState>(id, cancellation: stop);
                    var now = Measure.Now;
                    if (state?.State is { } s)
                    {
                        lock (gate)
                        {
                            probed.TryAdd(s.Version, now);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed probe read only loses a sample.
                }

                await Task.Delay(interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    void Record(ClinicQueueState state, long now)
    {
        lock (gate)
        {
            if (!delivered.TryAdd(state.Version, now))
            {
                return;
            }

            for (var i = 0; i < requests.Count; i++)
            {
                var r = requests[i];
                if (r.Version is null && state.LatestTicketOf(r.User) is { } ticket && (!r.Done || ticket.Status == TicketStatus.Done))
                {
                    requests[i] = r with { Version = state.Version };
                }
            }
        }
    }
}
