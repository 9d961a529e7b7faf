using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.FloodControl;

namespace QueueFunctions.Tests.FloodControl;

/// <summary>Push subscriptions have one bucket per app instance, since a subscription names no clinic.</summary>
public sealed class SubscribeLimitTests
{
    [Fact]
    public void Subscriptions_beyond_the_burst_wait_and_the_switch_turns_the_limit_off()
    {
        using var limits = new FloodLimiters(Options.Create(new FloodLimitOptions { SubscribeBurst = 2, SubscribePerSecond = 1 }));
        using var off = new FloodLimiters(Options.Create(new FloodLimitOptions { Enabled = false, SubscribeBurst = 1, SubscribePerSecond = 1 }));

        Assert.Null(limits.TrySubscribe());
        Assert.Null(limits.TrySubscribe());
        Assert.NotNull(limits.TrySubscribe());
        Assert.Null(limits.TryEnter("lab"));
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Null(off.TrySubscribe()));
    }
}
