using System.Text.Json;
using QueueFunctions.History;

namespace QueueFunctions.Tests.History;

/// <summary>A clinic's totals over a range: days pooled, so that each average is weighted by its tickets and the p90 is one of the range's waits.</summary>
public class RangeTotalsTests
{
    private static ClinicDayMeasures Day(double[] waits, double[] services, int issued = 0, int done = 0, int noShow = 0, int stillWaiting = 0, int cleared = 0, int hour = 8) =>
        new(
            "lab",
            issued,
            done,
            noShow,
            stillWaiting,
            cleared,
            waits.Select(w => new MeasuredWait(hour, TimeSpan.FromMinutes(w))).ToList(),
            services.Select(TimeSpan.FromMinutes).ToList(),
            Enumerable.Range(0, 24).Select(h => h == hour ? issued : 0).ToList());

    private static double Round(double minutes) => Math.Round(minutes, 1, MidpointRounding.AwayFromZero);

    [Fact]
    public void The_average_wait_is_the_days_averages_weighted_by_the_tickets_that_have_a_wait()
    {
        double[] quiet = [40];
        double[] busy = [0, 10, 20, 5.5];

        var totals = RangeTotals.Pool("lab", [Day(quiet, []), Day(busy, [])]).ToFigures();

        var weighted = (quiet.Average() * quiet.Length + busy.Average() * busy.Length) / (quiet.Length + busy.Length);
        Assert.Equal(Round(weighted), totals.AvgWaitMinutes);
        // The plain mean of the two days' averages would let the one patient of the quiet day count as much as four.
        Assert.NotEqual(Round((quiet.Average() + busy.Average()) / 2), totals.AvgWaitMinutes);
    }

    [Fact]
    public void The_average_service_time_is_weighted_by_the_tickets_that_have_one_not_by_the_tickets_issued()
    {
        // Day one: five tickets, two served (10 and 14 minutes), three no-shows. Day two: one ticket served in 30.
        double[] first = [10, 14];
        double[] second = [30];

        var totals = RangeTotals.Pool("lab", [Day([0, 1, 2, 3, 4], first, issued: 5, done: 2, noShow: 3), Day([0], second, issued: 1, done: 1)]).ToFigures();

        Assert.Equal(Round(first.Concat(second).Average()), totals.AvgServiceMinutes);
        Assert.NotEqual(Round(((first.Average() * 5) + (second.Average() * 1)) / 6), totals.AvgServiceMinutes);
    }

    [Fact]
    public void The_p90_is_the_nearest_rank_90th_percentile_of_every_wait_of_the_range()
    {
        // Nine short waits on one day and one very long one on the next: the 9th of the 10 waits, not a blend of daily p90s.
        double[] calm = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        double[] jam = [100];

        var days = new[] { Day(calm, []), Day(jam, []) };
        var totals = RangeTotals.Pool("lab", days).ToFigures();

        var pooled = calm.Concat(jam).Order().ToList();
        Assert.Equal(pooled[(int)Math.Ceiling(0.9 * pooled.Count) - 1], totals.P90WaitMinutes);
        var dailyP90s = days.Select(d => d.ToFigures().P90WaitMinutes!.Value).ToList();
        Assert.NotEqual(dailyP90s.Max(), totals.P90WaitMinutes);
        Assert.NotEqual(Round(dailyP90s.Average()), totals.P90WaitMinutes);
    }

    [Fact]
    public void Counts_and_arrivals_by_hour_are_summed()
    {
        var morning = Day([1], [2], issued: 7, done: 4, noShow: 1, stillWaiting: 2, cleared: 0, hour: 7);
        var noon = Day([3], [4], issued: 5, done: 2, noShow: 0, stillWaiting: 1, cleared: 2, hour: 12);
        var alsoMorning = Day([5], [6], issued: 3, done: 3, hour: 7);

        var totals = RangeTotals.Pool("lab", [morning, noon, alsoMorning]).ToFigures();

        ClinicDayMeasures[] days = [morning, noon, alsoMorning];
        Assert.Equal(
            (days.Sum(d => d.Issued), days.Sum(d => d.Done), days.Sum(d => d.NoShow), days.Sum(d => d.StillWaiting), days.Sum(d => d.ClearedByReset)),
            (totals.Issued, totals.Done, totals.NoShow, totals.StillWaiting, totals.ClearedByReset));
        Assert.Equal(Enumerable.Range(0, 24).Select(h => days.Sum(d => d.ArrivalsByHour[h])), totals.ArrivalsByHour);
        Assert.Equal(10, totals.ArrivalsByHour[7]);
    }

    [Fact]
    public void Each_hours_average_wait_is_weighted_by_that_hours_tickets()
    {
        var totals = RangeTotals.Pool("lab", [Day([2, 4, 6], [], hour: 9), Day([30], [], hour: 9), Day([50], [], hour: 14)]).ToFigures();

        Assert.Equal(Round(new double[] { 2, 4, 6, 30 }.Average()), totals.AvgWaitByHour![9]);
        Assert.Equal(50, totals.AvgWaitByHour[14]);
        Assert.Null(totals.AvgWaitByHour[10]);
    }

    [Fact]
    public void Days_without_tickets_add_nothing_and_a_range_without_any_has_no_averages()
    {
        var busy = Day([4, 8], [3], issued: 2, done: 1);

        var withQuietDays = RangeTotals.Pool("lab", [ClinicDayMeasures.None("lab"), busy, ClinicDayMeasures.None("lab")]).ToFigures();
        var empty = RangeTotals.Pool("lab", [ClinicDayMeasures.None("lab"), ClinicDayMeasures.None("lab")]).ToFigures();
        var noDays = RangeTotals.Pool("lab", []).ToFigures();

        Assert.Equal(JsonSerializer.Serialize(busy.ToFigures()), JsonSerializer.Serialize(withQuietDays));
        foreach (var none in new[] { empty, noDays })
        {
            Assert.Equal((0, 0, 0, 0, 0), (none.Issued, none.Done, none.NoShow, none.StillWaiting, none.ClearedByReset));
            Assert.Equal((null, null, null), (none.AvgWaitMinutes, none.P90WaitMinutes, none.AvgServiceMinutes));
            Assert.Equal(Enumerable.Repeat(0, 24), none.ArrivalsByHour);
            Assert.Equal(Enumerable.Repeat<double?>(null, 24), none.AvgWaitByHour!);
        }
    }

    [Fact]
    public void A_day_of_another_clinic_is_refused_rather_than_added()
    {
        var xray = ClinicDayMeasures.None("xray");

        Assert.Throws<ArgumentException>(() => RangeTotals.Pool("lab", [Day([1], []), xray]));
    }
}
