using System.Globalization;

namespace QueueFunctions.History;

/// <summary>
/// Where a ticket lives in the history table. The partition is the service day then the clinic, so one day's
/// report is a range of partitions and the retention cleanup one range below a cut-off day.
/// </summary>
public static class HistoryKeys
{
    public const string TicketPrefix = "t-";
    public const string ResetPrefix = "r-";

    // '_' cannot appear in a date, and the next character after it ('`') bounds the day's range.
    private const char Separator = '_';
    private const char AfterSeparator = '`';

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Partition(DateOnly day, string clinic) => $"{Day(day)}{Separator}{clinic}";

    public static string Ticket(int round, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{TicketPrefix}{round:D3}-{number:D6}");

    public static string Reset(int round) => string.Create(CultureInfo.InvariantCulture, $"{ResetPrefix}{round:D3}");

    /// <summary>The round a reset row's key names: the row holds no round column of its own, only its time.</summary>
    /// <exception cref="FormatException">The key is not a reset row's.</exception>
    public static int RoundOfReset(string rowKey) =>
        rowKey.StartsWith(ResetPrefix, StringComparison.Ordinal)
            ? int.Parse(rowKey.AsSpan(ResetPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture)
            : throw new FormatException($"'{rowKey}' is not a reset row's key.");

    /// <summary>A filter for every clinic's partition of <paramref name="day"/>.</summary>
    public static string DayFilter(DateOnly day) =>
        $"PartitionKey ge '{Day(day)}{Separator}' and PartitionKey lt '{Day(day)}{AfterSeparator}'";

    /// <summary>A filter for every partition of a service day before <paramref name="day"/>.</summary>
    public static string BeforeFilter(DateOnly day) => $"PartitionKey lt '{Day(day)}'";

    public static string ClinicOf(string partition) => partition[(Day(DateOnly.MinValue).Length + 1)..];
}
