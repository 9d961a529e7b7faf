using QueueFunctions.Tests.Support;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Visits;

public class RouteBookTests
{
    private static readonly string[] Candidates = ["internal", "ent", "surgery"];
    private static readonly DateTimeOffset At = Clinic.Morning;

    private static RouteRequest Request(string visit, IReadOnlyDictionary<string, int> waiting, DateTimeOffset readAt, int step = 1) =>
        new(visit, step, Candidates, waiting, readAt, readAt.AddMilliseconds(200));

    [Fact]
    public void Visits_that_read_the_same_counts_at_once_spread_instead_of_following_each_other()
    {
        var book = RouteBook.Empty;
        var empty = Candidates.ToDictionary(c => c, _ => 0);
        var chosen = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            (book, var clinic) = book.Route(Request($"v{i}", empty, At));
            chosen.Add(clinic);
        }

        Assert.Equal(["internal", "ent", "surgery", "internal", "ent", "surgery", "internal", "ent", "surgery"], chosen);
    }

    [Fact]
    public void A_repeated_request_gets_the_same_clinic_and_records_nothing_new()
    {
        var (book, first) = RouteBook.Empty.Route(Request("v1", Candidates.ToDictionary(c => c, _ => 0), At));

        var (again, second) = book.Route(Request("v1", new Dictionary<string, int> { ["internal"] = 9, ["ent"] = 0, ["surgery"] = 0 }, At.AddSeconds(1)));

        Assert.Equal(first, second);
        Assert.Same(book, again);
    }

    [Fact]
    public void A_patient_who_arrived_before_the_counts_were_read_is_in_them_and_not_counted_twice()
    {
        var (book, first) = RouteBook.Empty.Route(Request("v1", Candidates.ToDictionary(c => c, _ => 0), At));
        Assert.Equal("internal", first);
        book = book.Arrived(new RouteArrival("v1", 1, At.AddSeconds(1)));

        // Read after the arrival: internal's 1 already counts v1.
        var (_, later) = book.Route(Request("v2", new Dictionary<string, int> { ["internal"] = 1, ["ent"] = 1, ["surgery"] = 2 }, At.AddSeconds(2)));
        Assert.Equal("internal", later);

        // Read before the arrival: v1 may be missing from internal's 0, so it is added.
        var (_, earlier) = book.Route(Request("v3", new Dictionary<string, int> { ["internal"] = 0, ["ent"] = 0, ["surgery"] = 0 }, At.AddMilliseconds(500)));
        Assert.Equal("ent", earlier);
    }

    [Fact]
    public void Old_decisions_are_forgotten_so_the_book_stays_small()
    {
        var (book, _) = RouteBook.Empty.Route(Request("v1", Candidates.ToDictionary(c => c, _ => 0), At));

        (book, var clinic) = book.Route(Request("v2", Candidates.ToDictionary(c => c, _ => 0), At + RouteBook.Memory + TimeSpan.FromMinutes(1)));

        Assert.Equal("internal", clinic);
        Assert.Equal(["v2"], book.Routings.Select(r => r.Visit));
    }

    [Fact]
    public void A_flood_of_visits_cannot_grow_the_book_beyond_its_cap()
    {
        var book = RouteBook.Empty;
        var empty = Candidates.ToDictionary(c => c, _ => 0);
        for (var i = 0; i < RouteBook.MaxRoutings + 10; i++)
        {
            (book, _) = book.Route(Request($"v{i}", empty, At));
        }

        Assert.Equal(RouteBook.MaxRoutings, book.Routings.Count);
        Assert.Equal($"v{RouteBook.MaxRoutings + 9}", book.Routings[^1].Visit);
    }
}
