using QueueFunctions.Api;
using QueueFunctions.History;

namespace QueueFunctions.Tests.History;

public class ServiceDayRangeTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    private static ApiProblem Refusal(string from, string to) => Assert.Throws<ApiProblem>(() => ServiceDayRange.Parse(from, to, Today));

    [Fact]
    public void A_range_is_every_service_day_from_its_first_to_its_last_inclusive()
    {
        var range = ServiceDayRange.Parse("2026-10-30", "2026-11-02", Today);

        Assert.Equal((new DateOnly(2026, 10, 30), new DateOnly(2026, 11, 2), 4), (range.From, range.To, range.DayCount));
        Assert.Equal([new(2026, 10, 30), new(2026, 10, 31), new(2026, 11, 1), new(2026, 11, 2)], range.Days);
    }

    [Fact]
    public void A_range_of_one_day_and_one_ending_today_are_accepted()
    {
        Assert.Equal([new DateOnly(2026, 11, 5)], ServiceDayRange.Parse("2026-11-05", "2026-11-05", Today).Days);
        Assert.Equal(Today, ServiceDayRange.Parse("2026-11-01", "2026-11-29", Today).To);
    }

    [Fact]
    public void At_most_92_days_so_that_any_quarter_fits()
    {
        var fourthQuarter = ServiceDayRange.Parse("2026-10-01", "2026-12-31", new DateOnly(2027, 1, 1));
        Assert.Equal(ServiceDayRange.MaxDays, fourthQuarter.DayCount);

        var refused = Assert.Throws<ApiProblem>(() => ServiceDayRange.Parse("2026-09-30", "2026-12-31", new DateOnly(2027, 1, 1)));

        Assert.Equal((400, ErrorCodes.InvalidRange), (refused.Status, refused.Code));
        Assert.Contains("93", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_that_ends_before_it_begins_is_refused()
    {
        var refused = Refusal("2026-11-30", "2026-11-01");

        Assert.Equal((400, ErrorCodes.InvalidRange), (refused.Status, refused.Code));
    }

    [Theory]
    [InlineData("2026-11-20", "2026-11-30")]
    [InlineData("2026-11-30", "2026-11-30")]
    [InlineData("2026-11-01", "2027-01-01")]
    public void A_range_that_ends_after_today_is_refused(string from, string to)
    {
        var refused = Refusal(from, to);

        Assert.Equal((400, ErrorCodes.InvalidRange), (refused.Status, refused.Code));
        Assert.Contains("2026-11-29", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_day_is_a_missing_field_naming_the_parameter()
    {
        var asFrom = Refusal("", "2026-11-29");
        var asTo = Refusal("2026-11-01", "");

        Assert.Equal((400, ErrorCodes.MissingField, 400, ErrorCodes.MissingField), (asFrom.Status, asFrom.Code, asTo.Status, asTo.Code));
        Assert.Contains("'from'", asFrom.Message, StringComparison.Ordinal);
        Assert.Contains("'to'", asTo.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("29-11-2026")]
    [InlineData("2026-11-29T00:00")]
    [InlineData("2026-11-1")]
    [InlineData(" 2026-11-01")]
    [InlineData("yesterday")]
    [InlineData("2026-11-01,2026-11-02")]
    public void A_malformed_day_is_an_invalid_date_naming_the_parameter(string bad)
    {
        var asFrom = Refusal(bad, "2026-11-29");
        var asTo = Refusal("2026-11-01", bad);

        Assert.Equal((400, ErrorCodes.InvalidDate, 400, ErrorCodes.InvalidDate), (asFrom.Status, asFrom.Code, asTo.Status, asTo.Code));
        Assert.Contains("'from'", asFrom.Message, StringComparison.Ordinal);
        Assert.Contains("'to'", asTo.Message, StringComparison.Ordinal);
    }
}
