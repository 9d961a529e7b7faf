using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Moq;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class ClinicWatcherTests
{
    private readonly QueueBackend backend = new();

    [Fact]
    public async Task However_many_listeners_a_clinic_has_its_state_is_read_once_at_a_time()
    {
        await new QueueApi(backend).EnterAsync("lab", "A");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        var mostInFlight = 0;
        var reads = 0;
        backend.Entities
            .Setup(e => e.GetEntityAsync<ClinicQueueState>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns<EntityInstanceId, bool, CancellationToken>(async (id, _, _) =>
            {
                Interlocked.Increment(ref reads);
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref mostInFlight, now);
                await gate.Task;
                Interlocked.Decrement(ref inFlight);
                return new EntityMetadata<ClinicQueueState>(id, backend.StateOf("lab"));
            });
        var watcher = backend.Watchers.For("lab");

        var subscriptions = new List<ClinicSubscription> { watcher.Subscribe(backend.Client.Object) };
        await Eventually.TrueAsync(() => Volatile.Read(ref reads) == 1, TimeSpan.FromSeconds(10));
        subscriptions.AddRange(Enumerable.Range(0, 499).Select(_ => watcher.Subscribe(backend.Client.Object)));
        var waiters = Enumerable.Range(0, 50)
            .Select(_ => watcher.WaitForAsync(backend.Client.Object, s => s.WaitingTicketOf("A"), CancellationToken.None))
            .ToList();

        Assert.Equal(1, Volatile.Read(ref reads));
        gate.SetResult();

        var tickets = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10));
        var delivered = await Task.WhenAll(subscriptions.Select(s => s.NextChangeAsync(TimeSpan.FromSeconds(10), CancellationToken.None)));

        Assert.All(tickets, t => Assert.Equal(1, t.Number));
        Assert.All(delivered, s => Assert.Equal(1, Assert.IsType<ClinicQueueState>(s).LastNumber));
        Assert.Equal(1, mostInFlight);
        Assert.True(Volatile.Read(ref reads) <= 3, $"550 listeners took {reads} reads");
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_waiter_is_released_by_the_first_read_that_shows_its_effect()
    {
        var api = new QueueApi(backend);
        await api.EnterAsync("lab", "A");
        var watcher = backend.Watchers.For("lab");
        backend.AppliesSignals = false;
        var waiting = watcher.WaitForAsync(backend.Client.Object, s => s.WaitingTicketOf("B"), CancellationToken.None);

        await backend.HarnessFor("lab").RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("B", "r", Clinic.Morning));

        Assert.Equal(2, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Number);
    }

    [Fact]
    public async Task The_watcher_stops_reading_when_its_last_listener_leaves()
    {
        await new QueueApi(backend).EnterAsync("lab", "A");
        var watcher = backend.Watchers.For("lab");
        var subscription = watcher.Subscribe(backend.Client.Object);
        Assert.NotNull(await subscription.NextChangeAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        subscription.Dispose();

        await Eventually.TrueAsync(() => !watcher.IsRunning, TimeSpan.FromSeconds(10));
        var readsWhenStopped = backend.Reader.Reads;
        Assert.Equal(0, watcher.Listeners);
        Assert.False(watcher.IsRunning);
        Assert.Equal(readsWhenStopped, backend.Reader.Reads);
    }

    [Fact]
    public async Task Busy_clinics_are_read_together_one_query_per_poll_not_one_read_per_clinic()
    {
        var clinics = Enumerable.Range(1, 16).Select(i => $"clinic-{i}").ToList();
        foreach (var clinic in clinics)
        {
            await backend.HarnessFor(clinic).RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("A", $"a-{clinic}", Clinic.Morning));
        }

        // Boards follow every clinic first, as on a clinic floor; a single followed clinic alone is read on its own.
        var boards = clinics.Select(c => backend.Watchers.For(c).Subscribe(backend.Client.Object)).ToList();
        await Eventually.TrueAsync(() => clinics.All(c => backend.Watchers.For(c).Latest is not null), TimeSpan.FromSeconds(10));
        backend.Entities.Invocations.Clear();
        var readsBefore = backend.Reader.Reads;
        var waits = clinics
            .Select(c => backend.Watchers.For(c).WaitForAsync(backend.Client.Object, s => s.WaitingTicketOf("B"), CancellationToken.None))
            .ToList();
        foreach (var clinic in clinics)
        {
            await backend.HarnessFor(clinic).RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand("B", $"r-{clinic}", Clinic.Morning));
        }

        var tickets = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(tickets, t => Assert.Equal(2, t.Number));
        var calls = backend.Entities.Invocations.Select(i => i.Method.Name).ToList();
        Assert.DoesNotContain(nameof(DurableEntityClient.GetEntityAsync), calls);
        var queries = calls.Count(c => c == nameof(DurableEntityClient.GetAllEntitiesAsync));
        Assert.InRange(queries, 1, 10);
        Assert.Equal(queries, backend.Reader.Reads - readsBefore);
        boards.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task A_read_that_hangs_is_given_up_so_a_fresh_one_releases_the_waiters()
    {
        await new QueueApi(backend).EnterAsync("lab", "A");
        var calls = 0;
        backend.Entities
            .Setup(e => e.GetEntityAsync<ClinicQueueState>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns<EntityInstanceId, bool, CancellationToken>(async (id, _, _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    // Deaf to cancellation, as a storage client deep in its own retry pauses can be.
                    await Task.Delay(Timeout.Infinite, CancellationToken.None);
                }

                return new EntityMetadata<ClinicQueueState>(id, backend.StateOf("lab"));
            });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ticket = await backend.Watchers.For("lab")
            .WaitForAsync(backend.Client.Object, s => s.WaitingTicketOf("A"), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, ticket.Number);
        Assert.True(Volatile.Read(ref calls) >= 2, $"{calls} reads");
        Assert.InRange(clock.Elapsed, WatchPace.Default.ReadLimit, WatchPace.Default.ReadLimit + TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_new_subscriber_gets_the_latest_state_at_once()
    {
        await new QueueApi(backend).EnterAsync("lab", "A");
        var watcher = backend.Watchers.For("lab");
        using var first = watcher.Subscribe(backend.Client.Object);
        await first.NextChangeAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        using var second = watcher.Subscribe(backend.Client.Object);

        Assert.NotNull(await second.NextChangeAsync(TimeSpan.Zero, CancellationToken.None));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
