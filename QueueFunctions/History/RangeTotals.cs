namespace QueueFunctions.History;

/// <summary>
/// A clinic's totals over a range of service days. The days' measures are pooled rather than their figures averaged:
/// a day of 200 waits then counts 200 times as much as a day of one, as it should (the average wait over the range is
/// the days' average waits weighted by the tickets that have a wait, the average service time weighted by the tickets
/// that have one, each hour's average wait by that hour's tickets), and the 90th percentile is the nearest-rank one of
/// every wait of the range, which no combination of the days' percentiles could give. Counts and arrivals are summed.
/// </summary>
public static class RangeTotals
{
    /// <param name="days">The clinic's measures of each day of the range; a day without tickets adds nothing.</param>
    /// <exception cref="ArgumentException">A day's measures are another clinic's.</exception>
    public static ClinicDayMeasures Pool(string clinic, IEnumerable<ClinicDayMeasures> days)
    {
        var issued = 0;
        var done = 0;
        var noShow = 0;
        var stillWaiting = 0;
        var cleared = 0;
        var waits = new List<MeasuredWait>();
        var services = new List<TimeSpan>();
        var arrivals = new int[ClinicDayMeasures.Hours];
        foreach (var day in days)
        {
            if (!string.Equals(day.Clinic, clinic, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The totals of {clinic} were given a day of {day.Clinic}.", nameof(days));
            }

            issued += day.Issued;
            done += day.Done;
            noShow += day.NoShow;
            stillWaiting += day.StillWaiting;
            cleared += day.ClearedByReset;
            waits.AddRange(day.Waits);
            services.AddRange(day.Services);
            for (var hour = 0; hour < arrivals.Length; hour++)
            {
                arrivals[hour] += day.ArrivalsByHour[hour];
            }
        }

        return new ClinicDayMeasures(clinic, issued, done, noShow, stillWaiting, cleared, waits, services, arrivals);
    }
}
