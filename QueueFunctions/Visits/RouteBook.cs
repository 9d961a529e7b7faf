using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace QueueFunctions.Visits;

/// <summary>One routing decision: the visit's step sent to a clinic, and when its ticket there was taken.</summary>
public sealed record Routing(
    [property: JsonPropertyName("visit")] string Visit,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("at")] DateTimeOffset DecidedAt,
    [property: JsonPropertyName("arrived")] DateTimeOffset? ArrivedAt);

/// <summary>A request to route a visit's next step, with the waiting counts the visit read just before.</summary>
/// <param name="Candidates">The remaining clinics in table order.</param>
/// <param name="ReadAt">When the counts were asked for: tickets taken since then are not in them.</param>
public sealed record RouteRequest(
    [property: JsonPropertyName("visit")] string Visit,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("candidates")] IReadOnlyList<string> Candidates,
    [property: JsonPropertyName("waiting")] IReadOnlyDictionary<string, int> Waiting,
    [property: JsonPropertyName("readAt")] DateTimeOffset ReadAt,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>The visit took its ticket at the clinic it was routed to.</summary>
public sealed record RouteArrival(
    [property: JsonPropertyName("visit")] string Visit,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>
/// The recent routing decisions of one service day. Visits read the clinics' waiting counts concurrently, so counts
/// read at the same moment would send a whole group to the same clinic. Decisions go through one book, one at a time,
/// and each adds to the counts it was given the patients routed but not yet in them, so concurrent visits spread.
/// </summary>
public sealed record RouteBook([property: JsonPropertyName("routings")] ImmutableList<Routing> Routings)
{
    /// <summary>How long a decision is remembered: far longer than a ticket takes to be taken.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);

    /// <summary>A cap, so a flood of visits cannot grow the book without bound.</summary>
    public const int MaxRoutings = 2000;

    public static RouteBook Empty { get; } = new(ImmutableList<Routing>.Empty);

    /// <summary>The clinic for the request's step; the same answer again for a repeated request.</summary>
    public (RouteBook Book, string Clinic) Route(RouteRequest request)
    {
        if (Routings.Find(r => r.Visit == request.Visit && r.Step == request.Step) is { } earlier)
        {
            return (this, earlier.Clinic);
        }

        var kept = Routings.RemoveAll(r => r.DecidedAt < request.At - Memory);
        if (kept.Count >= MaxRoutings)
        {
            kept = kept.RemoveRange(0, kept.Count - MaxRoutings + 1);
        }

        var clinic = VisitRules.Next(
            request.Candidates,
            [],
            c => request.Waiting.GetValueOrDefault(c) + NotYetCounted(kept, c, request.ReadAt));
        return (new RouteBook(kept.Add(new Routing(request.Visit, request.Step, clinic, request.At, null))), clinic);
    }

    public RouteBook Arrived(RouteArrival arrival)
    {
        var routing = Routings.Find(r => r.Visit == arrival.Visit && r.Step == arrival.Step);
        return routing is null || routing.ArrivedAt is not null
            ? this
            : new RouteBook(Routings.Replace(routing, routing with { ArrivedAt = arrival.At }));
    }

    /// <summary>Patients routed to the clinic whose ticket may be missing from counts read at <paramref name="readAt"/>.</summary>
    private static int NotYetCounted(ImmutableList<Routing> routings, string clinic, DateTimeOffset readAt) =>
        routings.Count(r => r.Clinic == clinic && (r.ArrivedAt is not { } arrived || arrived > readAt));
}
