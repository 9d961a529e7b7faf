namespace QueueFunctions.Configuration;

/// <summary>
/// The timers' schedules are app settings, so an operator can move them and a test on the Functions host can run them
/// within seconds. Where no setting names one, the default applies: on the Functions host through
/// <see cref="TimerScheduleDefaults"/>, on the local host through its configuration.
/// </summary>
public static class TimerSchedules
{
    public const string CleanUpHistorySetting = "History:CleanUpSchedule";

    /// <summary>Daily at 01:17 UTC: a quiet hour in the clinics' zone, off the round minutes when timers crowd.</summary>
    public const string CleanUpHistoryDefault = "0 17 1 * * *";

    public const string PurgeFinishedOrchestrationsSetting = "Queue:PurgeSchedule";

    /// <summary>Hourly, at minute 41: off the round minutes when timers crowd.</summary>
    public const string PurgeFinishedOrchestrationsDefault = "0 41 * * * *";

    public const string ReplayPoisonQueueEventsSetting = "History:PoisonReplaySchedule";

    /// <summary>
    /// Every 5 minutes, at second 30: a queue event the history gave up on reaches the report within minutes of the
    /// table answering again, for two storage requests a run when there is nothing to move.
    /// </summary>
    public const string ReplayPoisonQueueEventsDefault = "30 */5 * * * *";

    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        [CleanUpHistorySetting] = CleanUpHistoryDefault,
        [PurgeFinishedOrchestrationsSetting] = PurgeFinishedOrchestrationsDefault,
        [ReplayPoisonQueueEventsSetting] = ReplayPoisonQueueEventsDefault,
    };
}
