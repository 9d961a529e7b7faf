using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

/// <summary>
/// With an empty <c>Queue:Clinics</c> anyone may name any clinic, so what an app instance keeps in memory per clinic
/// (its watcher, its enter coalescer) must go when the clinic is no longer used, however many ids were tried.
/// </summary>
public sealed class ClinicRegistryBoundsTests
{
    private const int ClinicIds = 2_000;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly QueueBackend backend = new(new QueueOptions { Clinics = "" });

    [Fact]
    public async Task Two_thousand_made_up_clinics_leave_nothing_behind_once_idle()
    {
        var api = new QueueApi(backend);
        var ids = Enumerable.Range(0, ClinicIds).Select(i => $"made-up-{i:0000}").ToList();

        // The backend's entity store is not thread-safe, so the enters go one by one; the streams below overlap.
        foreach (var id in ids)
        {
            Assert.Equal(200, (await api.EnterAsync(id, "P")).Status);
        }

        var streams = ids.Select(id => backend.Watchers.For(id).Subscribe(backend.Client.Object)).ToList();
        Assert.Equal(ClinicIds, backend.Watchers.Count);
        var first = await Task.WhenAll(streams.Select(s => s.NextChangeAsync(Deadline, CancellationToken.None)));
        Assert.All(first, state => Assert.Equal(1, state?.LastNumber));

        // In use, every watcher stays: releasing one a listener still reads would cost it its updates.
        Assert.Equal(ClinicIds, backend.Watchers.Count);

        streams.ForEach(s => s.Dispose());
        await Eventually.TrueAsync(() => backend.Watchers.Count == 0, Deadline, $"the watchers to be released ({backend.Watchers.Count} left)");
        await Eventually.TrueAsync(() => backend.Queue.ClinicsEntering == 0, Deadline, $"the enter coalescers to be released ({backend.Queue.ClinicsEntering} left)");

        // A released clinic works as before when someone comes back to it.
        Assert.Equal(2, (await api.EnterAsync(ids[0], "Q")).Body.GetProperty("number").GetInt32());
        await Eventually.TrueAsync(() => backend.Watchers.Count == 0 && backend.Queue.ClinicsEntering == 0, Deadline, "the clinic to be released again");
    }

    [Fact]
    public async Task A_listener_arriving_at_a_watcher_just_released_is_still_served_and_puts_it_back()
    {
        var api = new QueueApi(backend);
        await api.EnterAsync("lab", "A");
        var watcher = backend.Watchers.For("lab");
        using (var stream = watcher.Subscribe(backend.Client.Object))
        {
            Assert.NotNull(await stream.NextChangeAsync(Deadline, CancellationToken.None));
        }

        await Eventually.TrueAsync(() => backend.Watchers.Count == 0, Deadline, "the watcher to be released");

        // As a request that looked the watcher up a moment before its release would.
        using var late = watcher.Subscribe(backend.Client.Object);
        Assert.Equal(1, (await late.NextChangeAsync(Deadline, CancellationToken.None))?.LastNumber);
        Assert.Same(watcher, backend.Watchers.For("lab"));
        Assert.Equal(1, backend.Watchers.Count);

        await api.EnterAsync("lab", "B");
        Assert.Equal(2, (await late.NextChangeAsync(Deadline, CancellationToken.None))?.LastNumber);
    }

    [Fact]
    public async Task A_followed_clinic_keeps_its_watcher_while_the_others_go()
    {
        var api = new QueueApi(backend);
        foreach (var clinic in new[] { "kept", "gone-1", "gone-2" })
        {
            await api.EnterAsync(clinic, "A");
        }

        using var board = backend.Watchers.For("kept").Subscribe(backend.Client.Object);
        var others = new[] { "gone-1", "gone-2" }.Select(c => backend.Watchers.For(c).Subscribe(backend.Client.Object)).ToList();
        others.ForEach(s => s.Dispose());

        await Eventually.TrueAsync(() => backend.Watchers.Count == 1, Deadline, "the unfollowed clinics' watchers to be released");
        Assert.True(backend.Watchers.For("kept").IsRunning);
    }
}
