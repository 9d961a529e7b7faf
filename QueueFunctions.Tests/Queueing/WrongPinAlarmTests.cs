using Microsoft.Extensions.Logging;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Queueing;

/// <summary>Wrong PINs spread over many tickets: each patient's lock stays per patient, and the operator is warned.</summary>
public class WrongPinAlarmTests
{
    private readonly CapturedLogs logs = new(LogLevel.Warning);
    private readonly EntityHarness entity;

    public WrongPinAlarmTests()
    {
        var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        entity = new EntityHarness("lab", new FixedPins(Clinic.Pin), Clinic.Rules, new RecordingSender(), factory.CreateLogger<ClinicQueueEntity>());
    }

    private IEnumerable<CapturedLogs.Entry> Alarms => logs.Entries.Where(e => e.Message.Contains("wrong PINs from", StringComparison.Ordinal));

    [Theory]
    [InlineData(0, false)]
    [InlineData(49, false)]
    [InlineData(50, true)]
    [InlineData(51, false)]
    [InlineData(100, true)]
    [InlineData(150, false)]
    [InlineData(200, true)]
    [InlineData(300, false)]
    [InlineData(400, true)]
    public void The_alarm_rises_at_50_and_at_every_doubling(int wrongPins, bool raised) =>
        Assert.Equal(raised, WrongPinAlarm.IsRaisedAt(wrongPins));

    [Fact]
    public async Task Guesses_spread_over_many_tickets_warn_once_per_level_and_never_show_the_pin()
    {
        var wrong = Clinic.Pin == "0000" ? "1111" : "0000";
        for (var patient = 1; patient <= 25; patient++)
        {
            var user = $"GUESS_{patient}";
            await entity.RunAsync(ClinicQueueEntity.Operations.Enter, new EnterCommand(user, $"e{patient}", Clinic.Morning));
            for (var guess = 1; guess <= 5; guess++)
            {
                await entity.RunAsync(ClinicQueueEntity.Operations.Done, new DoneCommand(user, wrong, $"d{patient}-{guess}", Clinic.Morning));
                var total = ((patient - 1) * 5) + guess;
                Assert.Equal(total >= 100 ? 2 : total >= 50 ? 1 : 0, Alarms.Count());
            }
        }

        // 125 wrong PINs: the warnings at 50 and 100, each naming the clinic, the count and the number of patients.
        Assert.Equal(125, entity.State.WrongPins);
        Assert.Collection(
            Alarms,
            e => Assert.Contains("Clinic lab has had 50 wrong PINs from 10 patients", e.Message, StringComparison.Ordinal),
            e => Assert.Contains("Clinic lab has had 100 wrong PINs from 20 patients", e.Message, StringComparison.Ordinal));
        Assert.All(Alarms, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(Clinic.Pin, StringComparison.Ordinal));

        // The lock stays per patient: every guesser is locked, a new patient is not.
        Assert.True(entity.State.IsPinLocked("GUESS_1", Clinic.Rules));
        Assert.False(entity.State.IsPinLocked("SOMEONE_ELSE", Clinic.Rules));
    }
}
