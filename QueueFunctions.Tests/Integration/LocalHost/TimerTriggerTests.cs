using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Engine.Sample;

namespace QueueFunctions.Tests.Integration.LocalHost;

/// <summary>Timer-triggered functions on the local host, driven by a fake clock; the timer lock and status live in Azurite.</summary>
[Collection(EngineCollection.Name)]
public sealed class TimerTriggerTests(AzuriteFixture azurite)
{
    const string Timer = "SampleTimer"; // hourly: "0 0 * * * *"
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    static readonly DateTimeOffset Start = new(2026, 11, 29, 6, 30, 0, TimeSpan.Zero);

    static DateTimeOffset At(int hour) => new(2026, 11, 29, hour, 0, 0, TimeSpan.Zero);

    static DateTime Wall(int hour) => new(2026, 11, 29, hour, 0, 0);

    static Task WaitForNextAsync(LocalQueueHost host, DateTimeOffset expected) =>
        Eventually.TrueAsync(() => host.NextTimerOccurrence(Timer) == expected, Deadline, $"the timer to wait for {expected:HH:mm}");

    static async Task<TimerInfo> WaitForTickAsync(LocalQueueHost host, int count)
    {
        var recorder = host.Services.GetRequiredService<TriggerRecorder>();
        await Eventually.TrueAsync(() => recorder.Ticks.Count >= count, Deadline, $"timer run {count}");
        Assert.Equal(count, recorder.Ticks.Count);
        return recorder.Ticks.Last();
    }

    [Fact]
    public async Task TheTimerFiresWhenTheClockPassesEachOccurrenceWithTheFunctionsScheduleStatus()
    {
        var time = new FakeTimeProvider(Start);
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName(), time);

        await WaitForNextAsync(host, At(7));
        Assert.Empty(host.Services.GetRequiredService<TriggerRecorder>().Ticks);
        time.Advance(TimeSpan.FromMinutes(30));
        TimerInfo first = await WaitForTickAsync(host, 1);
        Assert.False(first.IsPastDue);
        Assert.NotNull(first.ScheduleStatus);

        // As the Functions host passes it: Next is the occurrence being run, Last the previous run (none yet).
        Assert.Equal(default, first.ScheduleStatus.Last);
        Assert.Equal(Wall(7), first.ScheduleStatus.Next);
        Assert.Equal(default, first.ScheduleStatus.LastUpdated);

        await WaitForNextAsync(host, At(8));
        time.Advance(TimeSpan.FromHours(1));
        TimerInfo second = await WaitForTickAsync(host, 2);
        Assert.False(second.IsPastDue);
        Assert.Equal(Wall(7), second.ScheduleStatus!.Last);
        Assert.Equal(Wall(8), second.ScheduleStatus.Next);
        Assert.Equal(Wall(7), second.ScheduleStatus.LastUpdated);
    }

    [Fact]
    public async Task AnOccurrenceMissedWhileNoHostRanIsRunAtOnceByTheNextHostAsPastDue()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        var time = new FakeTimeProvider(Start);
        LocalQueueHost first = await azurite.StartHostAsync(hub, time);
        await WaitForNextAsync(first, At(7));
        time.Advance(TimeSpan.FromMinutes(30));
        await WaitForTickAsync(first, 1);
        await WaitForNextAsync(first, At(8));
        await first.StopAsync();

        time.Advance(TimeSpan.FromHours(2)); // 09:00: the 08:00 run was missed
        await using LocalQueueHost second = await azurite.StartHostAsync(hub, time);
        TimerInfo late = await WaitForTickAsync(second, 1);
        Assert.True(late.IsPastDue);
        Assert.Equal(Wall(7), late.ScheduleStatus!.Last);
        Assert.Equal(Wall(8), late.ScheduleStatus.Next);
        await WaitForNextAsync(second, At(10));
    }

    [Fact]
    public async Task OnlyOneOfTwoHostsRunsTheTimerAndTheOtherTakesOverWhenItDies()
    {
        string hub = AzuriteFixture.NewTaskHubName();
        var time = new FakeTimeProvider(Start);
        LocalQueueHost first = await azurite.StartHostAsync(hub, time);
        await WaitForNextAsync(first, At(7));
        await using LocalQueueHost second = await azurite.StartHostAsync(hub, time);

        time.Advance(TimeSpan.FromMinutes(30));
        await WaitForTickAsync(first, 1);
        Assert.Null(second.NextTimerOccurrence(Timer));
        Assert.Empty(second.Services.GetRequiredService<TriggerRecorder>().Ticks);

        // The dead host's lease expires (30 s) and the survivor carries on from the stored status.
        await first.KillAsync();
        await Eventually.TrueAsync(() => second.NextTimerOccurrence(Timer) == At(8), TimeSpan.FromSeconds(60), "the second host to take the timer over");
        time.Advance(TimeSpan.FromHours(1));
        TimerInfo next = await WaitForTickAsync(second, 1);
        Assert.False(next.IsPastDue);
        Assert.Equal(Wall(7), next.ScheduleStatus!.Last);
        Assert.Equal(Wall(8), next.ScheduleStatus.Next);
    }
}
