using System.Text.Json.Serialization;

namespace QueueFunctions.Domain;

/// <summary>
/// How many tickets have left the queue today and between which moments: all a wait estimate needs, kept as
/// three values so that it survives the finished tickets being dropped from the state.
/// </summary>
public sealed record FinishPace(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("first")] DateTimeOffset First,
    [property: JsonPropertyName("last")] DateTimeOffset Last)
{
    /// <summary>One more ticket left the queue at <paramref name="at"/>.</summary>
    public static FinishPace After(FinishPace? pace, DateTimeOffset at) =>
        pace is null ? new FinishPace(1, at, at) : new FinishPace(pace.Count + 1, pace.First, at > pace.Last ? at : pace.Last);

    /// <summary>A ticket that had already left (a late patient's no-show) finished again at <paramref name="at"/>.</summary>
    public FinishPace LastAt(DateTimeOffset at) => at > Last ? this with { Last = at } : this;

    /// <summary>The average time between two finishes; null until there are two.</summary>
    [JsonIgnore]
    public TimeSpan? PerPatient => Count < 2 ? null : (Last - First) / (Count - 1);
}
