using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Streams;

/// <summary>
/// What reached the streams: every version the app's watcher saw, to every stream whose first state was older; the
/// latency of each arrival from the version's first observable moment and from the request that made it.
/// </summary>
sealed class StreamDelivery
{
    public List<double> FromObservable { get; } = [];

    /// <summary>The same, for the busy clinic's streams only.</summary>
    public List<double> FromObservableBusy { get; } = [];

    public List<double> FromRequest { get; } = [];

    public long Expected { get; private set; }

    public long Missing { get; private set; }

    /// <summary>Streams that missed one version or more.</summary>
    public int StreamsMissing { get; private set; }

    public static StreamDelivery Of(IEnumerable<SseStream> streams, IReadOnlyDictionary<string, ClinicTrack> tracks, string busyClinic)
    {
        var delivery = new StreamDelivery();
        foreach (var stream in streams.Where(s => s.FirstVersion is not null))
        {
            var missed = delivery.Follow(stream, tracks[stream.Clinic], stream.Clinic == busyClinic);
            delivery.Missing += missed;
            delivery.StreamsMissing += missed > 0 ? 1 : 0;
        }

        return delivery;
    }

    /// <summary>Records the arrivals of one stream; returns how many versions it never received.</summary>
    int Follow(SseStream stream, ClinicTrack track, bool busy)
    {
        var arrivals = stream.Arrivals;
        var missed = 0;
        foreach (var (version, seen) in track.Delivered)
        {
            if (version <= stream.FirstVersion)
            {
                continue;
            }

            Expected++;
            if (!arrivals.TryGetValue(version, out var arrived))
            {
                missed++;
                continue;
            }

            var latency = Measure.Ms(track.FirstObservable(version, seen), arrived);
            FromObservable.Add(latency);
            if (busy)
            {
                FromObservableBusy.Add(latency);
            }

            foreach (var sent in track.RequestsFor(version))
            {
                FromRequest.Add(Measure.Ms(sent, arrived));
            }
        }

        return missed;
    }
}
