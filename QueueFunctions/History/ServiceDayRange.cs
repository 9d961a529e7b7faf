using System.Globalization;
using Microsoft.AspNetCore.Http;
using QueueFunctions.Api;

namespace QueueFunctions.History;

/// <summary>The service days a range report covers, <see cref="From"/> to <see cref="To"/> inclusive.</summary>
public sealed record ServiceDayRange
{
    /// <summary>
    /// A quarter at its longest (July to September, October to December), so any quarter fits in one report; the bound
    /// keeps one request's reading of the history, and its reply, to at most 92 days' worth.
    /// </summary>
    public const int MaxDays = 92;

    private ServiceDayRange(DateOnly from, DateOnly to) => (From, To) = (from, to);

    public DateOnly From { get; }

    public DateOnly To { get; }

    public int DayCount => To.DayNumber - From.DayNumber + 1;

    public IEnumerable<DateOnly> Days => Enumerable.Range(0, DayCount).Select(From.AddDays);

    /// <param name="today">Today's service day: a range may end with it (as far as it has gone), not after it.</param>
    /// <exception cref="ApiProblem">
    /// MISSING_FIELD when <c>from</c> or <c>to</c> is missing, INVALID_DATE when it is not <c>yyyy-MM-dd</c>; INVALID_RANGE when <c>to</c> is
    /// before <c>from</c> or after today, or the range is longer than <see cref="MaxDays"/> days.
    /// </exception>
    public static ServiceDayRange Parse(string from, string to, DateOnly today)
    {
        var first = DayOf("from", from);
        var last = DayOf("to", to);
        if (last < first)
        {
            throw Invalid($"The range ends ({Text(last)}) before it begins ({Text(first)}).");
        }

        if (last > today)
        {
            throw Invalid($"The range ends after today's service day, {Text(today)}.");
        }

        var range = new ServiceDayRange(first, last);
        return range.DayCount <= MaxDays
            ? range
            : throw Invalid($"A range covers at most {MaxDays} service days; {Text(first)} to {Text(last)} is {range.DayCount}.");
    }

    private static DateOnly DayOf(string name, string raw)
    {
        if (raw.Length == 0)
        {
            throw ApiProblem.MissingField(name);
        }

        return DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidDate, $"The parameter '{name}' must be a service day written as yyyy-MM-dd.");
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ApiProblem Invalid(string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRange, message);
}
