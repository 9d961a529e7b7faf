using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// Which publisher holds a clinic's outbox and when it was last heard from. A publisher that ended badly (failed,
/// terminated, its start lost) says nothing more, so silence is how a clinic tells a dead publisher from a slow one;
/// the id lets the clinic ignore a publisher it has replaced, should that one turn out to be alive after all.
/// </summary>
/// <param name="Id">The publisher orchestration's instance id.</param>
/// <param name="SeenAt">When it was started, or last took or acknowledged changes (the engine's clock, not the clinic's).</param>
public sealed record PublisherLease(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("seen")] DateTimeOffset SeenAt)
{
    /// <summary>Whether nothing was heard from the publisher for longer than <paramref name="limit"/>.</summary>
    public bool IsSilentAt(DateTimeOffset now, TimeSpan limit) => now - SeenAt > limit;
}
