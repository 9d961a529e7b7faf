using QueueFunctions.History;

namespace QueueFunctions.Tests.History;

public class HistoryKeysTests
{
    [Fact]
    public void A_partition_names_its_day_first_and_gives_back_its_clinic()
    {
        var partition = HistoryKeys.Partition(new DateOnly(2026, 11, 29), "women_eyes");

        Assert.Equal("2026-11-29_women_eyes", partition);
        Assert.Equal("women_eyes", HistoryKeys.ClinicOf(partition));
    }

    [Fact]
    public void The_day_range_holds_every_clinic_of_that_day_and_nothing_of_the_days_around_it()
    {
        var day = new DateOnly(2026, 11, 29);
        string[] inside = [HistoryKeys.Partition(day, "a"), HistoryKeys.Partition(day, "zzzz"), HistoryKeys.Partition(day, "_x"), HistoryKeys.Partition(day, "9")];
        string[] outside = [HistoryKeys.Partition(day.AddDays(-1), "zzzz"), HistoryKeys.Partition(day.AddDays(1), "a"), "2026-11-29", "2026-11-3"];
        var (low, high) = ("2026-11-29_", "2026-11-29`");

        Assert.Equal($"PartitionKey ge '{low}' and PartitionKey lt '{high}'", HistoryKeys.DayFilter(day));
        Assert.All(inside, p => Assert.True(string.CompareOrdinal(p, low) >= 0 && string.CompareOrdinal(p, high) < 0, p));
        Assert.All(outside, p => Assert.False(string.CompareOrdinal(p, low) >= 0 && string.CompareOrdinal(p, high) < 0, p));
    }

    [Fact]
    public void Ticket_rows_sort_by_round_then_number()
    {
        string[] keys = [HistoryKeys.Ticket(1, 2), HistoryKeys.Ticket(0, 10), HistoryKeys.Ticket(0, 9), HistoryKeys.Ticket(1, 1)];

        Assert.Equal(["t-000-000009", "t-000-000010", "t-001-000001", "t-001-000002"], keys.Order(StringComparer.Ordinal));
        Assert.Equal("r-002", HistoryKeys.Reset(2));
    }

    [Fact]
    public void A_reset_rows_key_gives_back_the_round_it_opened()
    {
        Assert.Equal(2, HistoryKeys.RoundOfReset(HistoryKeys.Reset(2)));
        Assert.Equal(1234, HistoryKeys.RoundOfReset(HistoryKeys.Reset(1234)));
        Assert.Throws<FormatException>(() => HistoryKeys.RoundOfReset(HistoryKeys.Ticket(2, 1)));
    }

    [Fact]
    public void The_cleanup_keeps_today_and_the_days_before_it_up_to_the_retention()
    {
        var today = new DateOnly(2026, 11, 29);

        Assert.Equal(today, QueueFunctions.History.CleanUpHistoryFunction.FirstKeptDay(today, 1));
        Assert.Equal(new DateOnly(2025, 10, 26), QueueFunctions.History.CleanUpHistoryFunction.FirstKeptDay(today, 400));
        Assert.Equal("PartitionKey lt '2025-10-26'", HistoryKeys.BeforeFilter(new DateOnly(2025, 10, 26)));
    }
}
