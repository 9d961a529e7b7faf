using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.FloodControl;

namespace QueueFunctions.Tests.FloodControl;

public class FloodLimitersTests
{
    private static FloodLimiters Limiters(FloodLimitOptions options) => new(Options.Create(options));

    [Fact]
    public void A_clinic_gets_its_burst_then_a_wait_of_one_refill_while_other_clinics_are_untouched()
    {
        using var limits = Limiters(new FloodLimitOptions { EnterBurst = 5, EnterPerSecond = 1 });

        var taken = Enumerable.Range(0, 5).Select(_ => limits.TryEnter("lab")).ToList();
        var refused = limits.TryEnter("lab");

        Assert.All(taken, wait => Assert.Null(wait));
        Assert.NotNull(refused);
        Assert.InRange(refused.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        Assert.Null(limits.TryEnter("xray"));
        Assert.Null(limits.TryDone("lab"));
    }

    [Fact]
    public void Done_has_a_bucket_of_its_own()
    {
        using var limits = Limiters(new FloodLimitOptions { DoneBurst = 2, DonePerSecond = 1 });

        Assert.Null(limits.TryDone("lab"));
        Assert.Null(limits.TryDone("lab"));
        Assert.NotNull(limits.TryDone("lab"));
        Assert.Null(limits.TryEnter("lab"));
    }

    [Fact]
    public void Switched_off_nothing_is_ever_refused()
    {
        using var limits = Limiters(new FloodLimitOptions { Enabled = false, EnterBurst = 1, DoneBurst = 1, StreamsPerClinic = 1, StreamsPerInstance = 1 });

        Assert.All(Enumerable.Range(0, 50).Select(_ => limits.TryEnter("lab")), wait => Assert.Null(wait));
        Assert.All(Enumerable.Range(0, 50).Select(_ => limits.TryDone("lab")), wait => Assert.Null(wait));
        Assert.All(Enumerable.Range(0, 50).Select(_ => limits.TryOpenStream(["lab"])), lease => Assert.NotNull(lease));
    }

    [Fact]
    public void A_clinic_holds_at_most_its_streams_and_a_closed_stream_frees_its_place()
    {
        using var limits = Limiters(new FloodLimitOptions { StreamsPerClinic = 2, StreamsPerInstance = 100 });

        var first = limits.TryOpenStream(["lab"]);
        var second = limits.TryOpenStream(["lab"]);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limits.TryOpenStream(["lab"]));
        Assert.NotNull(limits.TryOpenStream(["xray"]));

        first.Dispose();
        Assert.NotNull(limits.TryOpenStream(["lab"]));
    }

    [Fact]
    public void The_instance_cap_counts_every_clinic_and_a_refused_board_keeps_no_place()
    {
        using var limits = Limiters(new FloodLimitOptions { StreamsPerClinic = 1, StreamsPerInstance = 2 });

        Assert.NotNull(limits.TryOpenStream(["lab"]));

        // The board finds lab full: it must give back the instance place and xray's place it took before.
        Assert.Null(limits.TryOpenStream(["xray", "lab"]));
        Assert.NotNull(limits.TryOpenStream(["xray"]));
        Assert.Null(limits.TryOpenStream(["eyes"]));
    }
}
