using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using QueueFunctions.LocalHost.Engine;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.LocalHost;

/// <summary>host.json's durableTask section, read and judged by the Durable extension's own options classes.</summary>
public sealed class DurableExtensionSettingsTests
{
    const string VisibilityRule = "ControlQueueVisibilityTimeout must be between 1 and 60 minutes.";

    static IConfiguration Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    static TempHostJson WithStorageProvider(string key, JsonNode value) =>
        TempHostJson.FromRepository(root => root["extensions"]!["durableTask"]!["storageProvider"]![key] = value);

    [Fact]
    public void TheRepositoryHostJsonIsAcceptedWithTheValuesItSets()
    {
        DurableExtensionSettings read = DurableExtensionSettings.Load(Settings(), TempHostJson.RepositoryHostJson);

        Assert.Equal(TimeSpan.FromMinutes(1), read.Storage.ControlQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(800), read.Storage.MaxQueuePollingInterval);
        Assert.Equal(1, read.Storage.PartitionCount);
        Assert.True(read.Storage.UseTablePartitionManagement);
        Assert.Equal(500, read.Options.MaxEntityOperationBatchSize);
        Assert.Equal("ClinicQueue1", read.Options.HubName);
    }

    [Fact]
    public void AControlQueueVisibilityTimeoutOfThirtySecondsIsRefusedWithTheExtensionsMessageAndTheSettingsName()
    {
        using TempHostJson hostJson = WithStorageProvider("controlQueueVisibilityTimeout", "00:00:30");

        var refused = Assert.Throws<InvalidOperationException>(() => DurableExtensionSettings.Load(Settings(), hostJson.Path));

        Assert.EndsWith(VisibilityRule, refused.Message);
        Assert.Contains("extensions.durableTask.storageProvider.controlQueueVisibilityTimeout '00:00:30'", refused.Message);
        Assert.Contains(hostJson.Path, refused.Message);
    }

    [Fact]
    public void AnAppSettingOverridesHostJsonKeyByKey()
    {
        IConfiguration overrides = Settings(
            ("AzureFunctionsJobHost:extensions:durableTask:storageProvider:partitionCount", "8"),
            ("AzureFunctionsJobHost:extensions:durableTask:maxEntityOperationBatchSize", "20"));

        DurableExtensionSettings read = DurableExtensionSettings.Load(overrides, TempHostJson.RepositoryHostJson);

        Assert.Equal(8, read.Storage.PartitionCount);
        Assert.Equal(20, read.Options.MaxEntityOperationBatchSize);
        Assert.Equal(TimeSpan.FromMinutes(1), read.Storage.ControlQueueVisibilityTimeout);
    }

    [Fact]
    public void AnAppSettingOfThirtySecondsIsRefusedAndNamedAsTheAppSetting()
    {
        IConfiguration overrides = Settings(("AzureFunctionsJobHost:extensions:durableTask:storageProvider:controlQueueVisibilityTimeout", "00:00:30"));

        var refused = Assert.Throws<InvalidOperationException>(() => DurableExtensionSettings.Load(overrides, TempHostJson.RepositoryHostJson));

        Assert.EndsWith(VisibilityRule, refused.Message);
        Assert.Contains("'00:00:30' (from AzureFunctionsJobHost:extensions:durableTask in configuration)", refused.Message);
    }

    [Fact]
    public void AnEntityBatchSizeOfZeroIsRefusedByTheExtensionsOwnOptionsCheck()
    {
        using TempHostJson hostJson = TempHostJson.FromRepository(root => root["extensions"]!["durableTask"]!["maxEntityOperationBatchSize"] = 0);

        var refused = Assert.Throws<InvalidOperationException>(() => DurableExtensionSettings.Load(Settings(), hostJson.Path));

        Assert.EndsWith("MaxEntityOperationBatchSize must be a positive integer value.", refused.Message);
        Assert.Contains("extensions.durableTask.maxEntityOperationBatchSize '0'", refused.Message);
    }

    [Fact]
    public void AnInvalidTaskHubNameIsRefusedAsTheHostRefusesIt()
    {
        using TempHostJson hostJson = TempHostJson.FromRepository(root => root["extensions"]!["durableTask"]!["hubName"] = "clinic-queue");

        var refused = Assert.Throws<InvalidOperationException>(() => DurableExtensionSettings.Load(Settings(), hostJson.Path));

        Assert.Contains("extensions.durableTask.hubName 'clinic-queue'", refused.Message);
        Assert.Contains("Task hub name 'clinic-queue' should contain only alphanumeric characters", refused.Message);
    }

    [Fact]
    public void AValueThatIsNoTimeSpanIsRefusedWithItsPath()
    {
        using TempHostJson hostJson = WithStorageProvider("maxQueuePollingInterval", "soon");

        var refused = Assert.Throws<InvalidOperationException>(() => DurableExtensionSettings.Load(Settings(), hostJson.Path));

        Assert.Contains("maxQueuePollingInterval", refused.Message);
        Assert.Contains(hostJson.Path, refused.Message);
    }

    [Fact]
    public void WhatHostJsonLeavesUnsetTakesTheExtensionsDefaults()
    {
        using TempHostJson hostJson = TempHostJson.Write("""{ "version": "2.0" }""");

        DurableExtensionSettings read = DurableExtensionSettings.Load(Settings(), hostJson.Path);

        Assert.Equal(TimeSpan.FromMinutes(5), read.Storage.ControlQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), read.Storage.WorkItemQueueVisibilityTimeout);
        Assert.Equal(4, read.Storage.PartitionCount);
        Assert.True(read.Storage.UseTablePartitionManagement);
        Assert.Equal(5000, read.Options.MaxEntityOperationBatchSize);
        Assert.Equal(10 * Environment.ProcessorCount, read.Options.MaxConcurrentEntityFunctions);
    }
}
