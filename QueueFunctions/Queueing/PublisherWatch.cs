namespace QueueFunctions.Queueing;

/// <summary>
/// How a clinic tells that the publisher holding its outbox has ended badly (failed, terminated by an operator, its
/// start lost): nothing is heard from it for <see cref="SilenceLimit"/>. The clinic then forgets it and sends its
/// changes again, starting a new publisher if the queue still does not take them; the old one, should it be alive
/// after all, is given nothing more and ends at its next call.
/// </summary>
/// <param name="SilenceLimit">
/// Longer than a working publisher is ever silent (<see cref="QueueEventsPublisher.LongestSilence"/>), so a publisher that
/// is only riding out an unreachable queue is left alone.
/// </param>
/// <param name="Clock">
/// The engine's clock, on which durable timers and scheduled signals run: not the app's <see cref="TimeProvider"/>,
/// which tests move to another day.
/// </param>
public sealed record PublisherWatch(TimeSpan SilenceLimit, TimeProvider Clock)
{
    public static PublisherWatch Default { get; } = new(TimeSpan.FromMinutes(5), TimeProvider.System);

    /// <summary>A check signalled for a limit's end may be delivered a little early; it comes this much after it.</summary>
    public static readonly TimeSpan CheckMargin = TimeSpan.FromSeconds(1);
}
