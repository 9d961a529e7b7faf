using QueueFunctions.Domain;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Domain;

/// <summary>The outbox's cap (<c>Queue:MaxOutbox</c>): what a clinic keeps for <c>queue-events</c> while the queue stays unreachable.</summary>
public class OutboxCapTests
{
    private static ClinicQueueState WithUnsent(int changes)
    {
        var state = Clinic.OpenLab().WithPatients(Enumerable.Range(1, changes).Select(i => $"U{i}").ToArray());
        return state with { Outbox = state.Outbox with { Publishing = true } };
    }

    [Fact]
    public void Up_to_the_cap_every_unsent_change_is_kept()
    {
        var state = WithUnsent(20);

        var (kept, dropped) = state.WithOutboxCappedAt(20);

        Assert.Same(state, kept);
        Assert.Empty(dropped);
    }

    [Fact]
    public void Beyond_the_cap_the_oldest_go_with_a_tenth_of_the_cap_so_a_lasting_outage_drops_in_batches()
    {
        var state = WithUnsent(21);

        var (kept, dropped) = state.WithOutboxCappedAt(20);

        // 21 waiting, cap 20: down to 18, the 3 oldest dropped.
        Assert.Equal([1, 2, 3], dropped.Select(e => e.Number!.Value));
        Assert.Equal(Enumerable.Range(4, 18), kept.Outbox.Select(e => e.Number!.Value));
        Assert.Equal(state.Outbox.Skip(3), kept.Outbox);

        // The next 2 changes fit again without a loss; the one after them drops the next batch.
        var later = kept.WithPatients("V1", "V2");
        Assert.Empty(later.WithOutboxCappedAt(20).Dropped);
        Assert.Equal(3, later.WithPatients("V3").WithOutboxCappedAt(20).Dropped.Count);
    }

    [Fact]
    public void Dropping_changes_touches_nothing_but_the_outbox()
    {
        var state = WithUnsent(30);

        var (kept, _) = state.WithOutboxCappedAt(10);

        Assert.Equal(state with { Outbox = kept.Outbox }, kept);
        Assert.Equal(30, kept.WaitingCount);
        Assert.Equal(30, kept.LastNumber);
        Assert.Equal(state.Version, kept.Outbox[^1].Version);
        Assert.True(kept.Outbox.Publishing);
    }

    [Fact]
    public void A_publisher_that_took_a_batch_before_the_cap_acknowledges_it_without_harm()
    {
        var state = WithUnsent(12);
        var (taken, batch) = state.TakeOutbox(5);

        var (capped, dropped) = taken.WithPatients("LATE").WithOutboxCappedAt(10);
        var acknowledged = capped.AcknowledgeOutbox(batch[^1].Version);

        Assert.Equal([1, 2, 3, 4], dropped.Select(e => e.Number!.Value));
        Assert.Equal(Enumerable.Range(6, 8), acknowledged.Outbox.Select(e => e.Number!.Value));
    }

    [Fact]
    public void A_cap_of_one_keeps_the_newest_change()
    {
        var (kept, dropped) = WithUnsent(3).WithOutboxCappedAt(1);

        Assert.Equal(3, Assert.Single(kept.Outbox).Number);
        Assert.Equal(2, dropped.Count);
    }
}
