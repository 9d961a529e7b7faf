using System.Text.Json;
using QueueFunctions.History;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.History;

/// <summary>A range report lists each day as that day's daily report does, then each clinic's totals.</summary>
public class RangeReportBuilderTests
{
    private static readonly DateOnly First = new(2026, 11, 26);

    private static readonly ServiceDayRange Range = ServiceDayRange.Parse("2026-11-26", "2026-11-28", Clinic.Today);

    private static DateTimeOffset At(DateOnly day, double minutes) => new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(3)).AddMinutes(minutes);

    /// <summary>The lab on the first and last day, x-ray on the middle one; nothing else.</summary>
    private static readonly IReadOnlyDictionary<DateOnly, IReadOnlyDictionary<string, ClinicDayHistory>> History =
        new Dictionary<DateOnly, IReadOnlyDictionary<string, ClinicDayHistory>>
        {
            [First] = new Dictionary<string, ClinicDayHistory>
            {
                ["lab"] = new([new(0, 1, At(First, 0), null, At(First, 12)), new(0, 2, At(First, 1), null, At(First, 20))], []),
            },
            [First.AddDays(1)] = new Dictionary<string, ClinicDayHistory>
            {
                ["xray"] = new([new(0, 1, At(First.AddDays(1), 5), At(First.AddDays(1), 9), null)], []),
            },
            [First.AddDays(2)] = new Dictionary<string, ClinicDayHistory>
            {
                ["lab"] = new([new(0, 1, At(First.AddDays(2), 0), null, At(First.AddDays(2), 3)), new(0, 2, At(First.AddDays(2), 2), null, null)], []),
            },
        };

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static ClinicDailyFigures DailyOf(DateOnly day, string clinic) =>
        History.GetValueOrDefault(day)?.GetValueOrDefault(clinic) is { } history
            ? DailyFiguresCalculator.Compute(clinic, history.Tickets, Clinic.Qatar, history.ResetRounds)
            : DailyFiguresCalculator.Compute(clinic, [], Clinic.Qatar);

    [Fact]
    public void With_configured_clinics_every_day_lists_each_of_them_in_their_order_as_its_daily_report_does()
    {
        string[] configured = ["xray", "lab", "eyes"];

        var report = RangeReportBuilder.Build(Range, configured, History, Clinic.Qatar, "Asia/Qatar");

        Assert.Equal((Range.From, Range.To, "Asia/Qatar"), (report.From, report.To, report.TimeZone));
        Assert.Equal(Range.Days, report.Days.Select(d => d.Date));
        foreach (var day in report.Days)
        {
            Assert.Equal(configured, day.Clinics.Select(c => c.Clinic));
            Assert.Equal(configured.Select(c => Json(DailyOf(day.Date, c))), day.Clinics.Select(Json));
        }

        Assert.Equal(configured, report.Totals.Select(t => t.Clinic));
    }

    [Fact]
    public void Without_configured_clinics_a_day_lists_those_it_has_history_of_and_the_totals_those_of_any_day()
    {
        var report = RangeReportBuilder.Build(Range, null, History, Clinic.Qatar, "Asia/Qatar");

        Assert.Equal([["lab"], ["xray"], ["lab"]], report.Days.Select(d => d.Clinics.Select(c => c.Clinic).ToArray()));
        Assert.Equal(["lab", "xray"], report.Totals.Select(t => t.Clinic));
    }

    [Fact]
    public void The_totals_add_up_the_days_of_each_clinic()
    {
        var report = RangeReportBuilder.Build(Range, null, History, Clinic.Qatar, "Asia/Qatar");

        foreach (var total in report.Totals)
        {
            var days = report.Days.SelectMany(d => d.Clinics).Where(c => c.Clinic == total.Clinic).ToList();
            Assert.Equal((days.Sum(d => d.Issued), days.Sum(d => d.Done), days.Sum(d => d.NoShow), days.Sum(d => d.StillWaiting)), (total.Issued, total.Done, total.NoShow, total.StillWaiting));
            Assert.Equal(Enumerable.Range(0, 24).Select(h => days.Sum(d => d.ArrivalsByHour[h])), total.ArrivalsByHour);
        }

        // The lab's waits: 0 and 11 on the first day, 0 and 1 on the last (ticket 2 became current when 1 left at 08:03).
        Assert.Equal(Math.Round(new[] { 0.0, 11, 0, 1 }.Average(), 1, MidpointRounding.AwayFromZero), report.Totals[0].AvgWaitMinutes);
    }

    [Fact]
    public void A_day_the_history_has_nothing_of_still_has_its_row()
    {
        var range = ServiceDayRange.Parse("2026-11-20", "2026-11-21", Clinic.Today);

        var configured = RangeReportBuilder.Build(range, ["lab"], History, Clinic.Qatar, "Asia/Qatar");
        var found = RangeReportBuilder.Build(range, null, History, Clinic.Qatar, "Asia/Qatar");

        Assert.Equal([new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 21)], configured.Days.Select(d => d.Date));
        Assert.All(configured.Days, d => Assert.Equal(Json(DailyOf(d.Date, "lab")), Json(Assert.Single(d.Clinics))));
        Assert.Equal(0, Assert.Single(configured.Totals).Issued);
        Assert.All(found.Days, d => Assert.Empty(d.Clinics));
        Assert.Empty(found.Totals);
    }
}
