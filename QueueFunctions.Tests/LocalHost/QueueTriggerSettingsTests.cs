using Microsoft.Extensions.Configuration;
using QueueFunctions.LocalHost.Triggers;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.LocalHost;

/// <summary>host.json's extensions.queues as the local queue trigger reads it.</summary>
public sealed class QueueTriggerSettingsTests
{
    static IConfiguration Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void TheRepositoryHostJsonPollsQueueTriggersAtMostTwoSecondsApart()
    {
        QueueTriggerSettings read = QueueTriggerSettings.Load(Settings(), TempHostJson.RepositoryHostJson);

        Assert.Equal(TimeSpan.FromSeconds(2), read.MaxPollingInterval);
        Assert.Equal(16, read.BatchSize);
    }

    [Fact]
    public void WithoutMaxPollingIntervalTheFunctionsDefaultOfOneMinuteApplies()
    {
        using TempHostJson hostJson = TempHostJson.Write("""{ "version": "2.0" }""");

        Assert.Equal(TimeSpan.FromMinutes(1), QueueTriggerSettings.Load(Settings(), hostJson.Path).MaxPollingInterval);
    }

    [Fact]
    public void AnAppSettingOverridesMaxPollingInterval()
    {
        QueueTriggerSettings read = QueueTriggerSettings.Load(
            Settings(("AzureFunctionsJobHost:extensions:queues:maxPollingInterval", "00:00:00.5")), TempHostJson.RepositoryHostJson);

        Assert.Equal(TimeSpan.FromMilliseconds(500), read.MaxPollingInterval);
    }

    [Fact]
    public void AMaxPollingIntervalUnderTheListenersHundredMillisecondsIsRefused()
    {
        using TempHostJson hostJson = TempHostJson.FromRepository(root => root["extensions"]!["queues"]!["maxPollingInterval"] = "00:00:00.05");

        var refused = Assert.Throws<InvalidOperationException>(() => QueueTriggerSettings.Load(Settings(), hostJson.Path));

        Assert.Contains("extensions.queues.maxPollingInterval '00:00:00.05'", refused.Message);
        Assert.EndsWith("MaxPollingInterval must not be less than 00:00:00.1000000.", refused.Message);
    }
}
