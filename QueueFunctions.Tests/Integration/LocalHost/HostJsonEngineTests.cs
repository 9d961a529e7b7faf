using QueueFunctions.LocalHost.Engine;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.LocalHost;

/// <summary>The local host starts only on a host.json the Functions host would start on, and runs the engine with its values.</summary>
[Collection(EngineCollection.Name)]
public sealed class HostJsonEngineTests(AzuriteFixture azurite)
{
    const string VisibilityRule = "ControlQueueVisibilityTimeout must be between 1 and 60 minutes.";
    const string VisibilityOverride = "AzureFunctionsJobHost:extensions:durableTask:storageProvider:controlQueueVisibilityTimeout";

    [Fact]
    public async Task AHostJsonWithAThirtySecondControlQueueVisibilityTimeoutStopsTheHostAtStart()
    {
        using TempHostJson hostJson = TempHostJson.FromRepository(
            root => root["extensions"]!["durableTask"]!["storageProvider"]!["controlQueueVisibilityTimeout"] = "00:00:30");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => azurite.StartHostAsync(
            AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?> { [LocalHostConfigKeys.HostJsonPath] = hostJson.Path }));

        Assert.EndsWith(VisibilityRule, refused.Message);
        Assert.Contains("controlQueueVisibilityTimeout '00:00:30'", refused.Message);
    }

    [Fact]
    public async Task AnAppSettingOfThirtySecondsStopsTheHostAtStartThoughHostJsonIsValid()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => azurite.StartHostAsync(
            AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?> { [VisibilityOverride] = "00:00:30" }));

        Assert.EndsWith(VisibilityRule, refused.Message);
        Assert.Contains("(from AzureFunctionsJobHost:extensions:durableTask in configuration)", refused.Message);
    }

    [Fact]
    public async Task TheEngineRunsWithHostJsonsValuesUnderTheLocalOverrides()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName());

        DurableEngineSettings engine = host.EngineSettings;
        Assert.Equal(TimeSpan.FromMinutes(1), engine.ControlQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), engine.WorkItemQueueVisibilityTimeout);
        Assert.Equal(1, engine.PartitionCount);
        Assert.True(engine.UseTablePartitionManagement);
        Assert.Equal(500, engine.Extension.Options.MaxEntityOperationBatchSize);

        // The test fixture's own polling, set explicitly, outranks host.json's 0.8 s.
        Assert.Equal(TimeSpan.FromMilliseconds(100), engine.MaxQueuePollingInterval);
    }

    [Fact]
    public async Task ALocalVisibilityTimeoutStillShortensBothQueuesBelowTheExtensionsFloor()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName(), queueVisibilityTimeout: TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(10), host.EngineSettings.ControlQueueVisibilityTimeout);
        Assert.Null(host.EngineSettings.WorkItemQueueVisibilityTimeout);
    }
}
