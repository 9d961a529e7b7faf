using Microsoft.Extensions.Logging;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.History;

namespace QueueFunctions.Overview;

/// <summary>
/// Each clinic's waits so far today, read from the day's history and kept by this app instance for
/// <see cref="Freshness"/>. A wait ends when a ticket becomes current, a moment the clinic's state does not keep (it
/// drops finished tickets after an hour), so only the history can give the day's average; read once per instance and
/// interval, it costs the same however many overviews are open.
/// </summary>
public sealed class TodayWaits(HistoryTable history, QueueRules rules, TimeProvider time, ILogger<TodayWaits> logger)
{
    /// <summary>An average over a whole day moves slowly; reading the day's rows more often would buy nothing.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim reading = new(1, 1);
    private Snapshot? latest;

    /// <returns>Each clinic's waits today; clinics without any are missing. What was read last when the history cannot be read now.</returns>
    public async Task<IReadOnlyDictionary<string, TodayWait>> GetAsync(CancellationToken cancellationToken)
    {
        var today = rules.ServiceDayOf(time.GetUtcNow());
        if (Fresh(today) is { } fresh)
        {
            return fresh;
        }

        await reading.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have read it while this one waited.
            if (Fresh(today) is { } justRead)
            {
                return justRead;
            }

            var day = await history.ReadDayAsync(today, null, cancellationToken);
            var waits = day
                .Select(c => (Clinic: c.Key, Wait: TodayWait.Of(DailyFiguresCalculator.Measure(c.Key, c.Value.Tickets, rules.TimeZone, c.Value.ResetRounds).Waits.Select(w => w.Length).ToList())))
                .Where(c => c.Wait is not null)
                .ToDictionary(c => c.Clinic, c => c.Wait!, StringComparer.Ordinal);
            latest = new Snapshot(today, time.GetUtcNow(), waits);
            return waits;
        }
        catch (BackendUnavailableException ex)
        {
            // The live figures matter more than the day's average: the overview shows the last one it had, or none.
            logger.LogWarning(ex, "The overview could not read today's waits from the history");
            latest = latest is { } known && known.Day == today ? known with { ReadAt = time.GetUtcNow() } : new Snapshot(today, time.GetUtcNow(), new Dictionary<string, TodayWait>());
            return latest.Waits;
        }
        finally
        {
            reading.Release();
        }
    }

    private IReadOnlyDictionary<string, TodayWait>? Fresh(DateOnly today) =>
        latest is { } known && known.Day == today && time.GetUtcNow() - known.ReadAt < Freshness ? known.Waits : null;

    private sealed record Snapshot(DateOnly Day, DateTimeOffset ReadAt, IReadOnlyDictionary<string, TodayWait> Waits);
}
