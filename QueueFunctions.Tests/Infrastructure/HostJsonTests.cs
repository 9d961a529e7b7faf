using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QueueFunctions.Tests.Infrastructure;

/// <summary>host.json is valid JSON and holds the tuned Durable, HTTP and logging settings; every value is explained in docs/HOST-SETTINGS.md.</summary>
public sealed class HostJsonTests
{
    private static JsonElement Host() => JsonDocument.Parse(RepoFiles.ReadText("host.json")).RootElement;

    private static JsonElement DurableTask() => Host().GetProperty("extensions").GetProperty("durableTask");

    private static TimeSpan Span(JsonElement value) => TimeSpan.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public void Host_json_is_strict_json_for_functions_host_v2()
    {
        // No comments, no trailing commas: the Functions host and our tools read it strictly.
        using var document = JsonDocument.Parse(RepoFiles.ReadText("host.json"), new JsonDocumentOptions());
        Assert.Equal("2.0", document.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void Routes_have_no_prefix_because_they_are_written_in_full()
    {
        Assert.Equal("", Host().GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Durable_uses_a_named_hub_on_the_azure_storage_provider()
    {
        var hub = DurableTask().GetProperty("hubName").GetString()!;
        Assert.Matches(new Regex("^[A-Za-z][A-Za-z0-9]{2,44}$"), hub);
        Assert.NotEqual("TestHubName", hub);
        Assert.NotEqual("DurableFunctionsHub", hub);

        var provider = DurableTask().GetProperty("storageProvider");
        Assert.Equal("AzureStorage", provider.GetProperty("type").GetString());
        Assert.Equal("AzureWebJobsStorage", provider.GetProperty("connectionName").GetString());
    }

    [Fact]
    public void Queue_polling_interval_is_lowered_where_it_takes_effect()
    {
        var provider = DurableTask().GetProperty("storageProvider");
        var interval = Span(provider.GetProperty("maxQueuePollingInterval"));
        // Durable docs for Flex Consumption: 10 s or less; events must reach screens within about a second.
        Assert.InRange(interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        // At the durableTask level (the 1.x location) the setting is silently ignored.
        Assert.False(DurableTask().TryGetProperty("maxQueuePollingInterval", out _));
    }

    [Fact]
    public void Partition_count_and_entity_batch_size_are_stated()
    {
        var partitions = DurableTask().GetProperty("storageProvider").GetProperty("partitionCount").GetInt32();
        Assert.InRange(partitions, 1, 16);
        Assert.False(DurableTask().TryGetProperty("partitionCount", out _));
        Assert.InRange(DurableTask().GetProperty("maxEntityOperationBatchSize").GetInt32(), 1, 5000);
    }

    [Fact]
    public void Personal_data_never_reaches_durable_traces()
    {
        // Entity inputs carry patient ids (e.g. military numbers).
        Assert.False(DurableTask().GetProperty("tracing").GetProperty("traceInputsAndOutputs").GetBoolean());
    }

    [Fact]
    public void Function_timeout_outlasts_a_five_minute_event_stream()
    {
        var timeout = Span(Host().GetProperty("functionTimeout"));
        Assert.True(timeout > TimeSpan.FromMinutes(5), $"functionTimeout {timeout} would cut 5-minute streams.");
        Assert.True(timeout <= TimeSpan.FromMinutes(30), "A bounded timeout still stops a runaway request.");
    }

    [Fact]
    public void Logging_levels_are_set_and_durable_internals_are_quiet()
    {
        var levels = Host().GetProperty("logging").GetProperty("logLevel");
        Assert.Equal("Information", levels.GetProperty("default").GetString());
        Assert.Equal("Warning", levels.GetProperty("DurableTask.AzureStorage").GetString());
        Assert.Equal("Warning", levels.GetProperty("DurableTask.Core").GetString());
    }

    [Fact]
    public void Every_host_setting_is_explained_in_the_host_settings_doc()
    {
        var doc = RepoFiles.ReadText("docs", "HOST-SETTINGS.md");
        var missing = Leaves(Host(), "").Where(path => path != "version" && !doc.Contains($"`{path}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/HOST-SETTINGS.md does not explain: " + string.Join(", ", missing));
    }

    [Fact]
    public void Local_settings_sample_runs_against_azurite_with_every_app_setting_at_its_default()
    {
        using var sample = JsonDocument.Parse(RepoFiles.ReadText("local.settings.sample.json"));
        var values = sample.RootElement.GetProperty("Values");
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        foreach (var row in BicepCompilationTests.AppSettingDefaults)
        {
            var (section, setting, defaultValue) = ((string)row[0], (string)row[1], (string)row[2]);
            Assert.True(values.TryGetProperty($"{section}__{setting}", out var value), $"{section}__{setting} is missing from local.settings.sample.json.");
            Assert.Equal(defaultValue, value.GetString());
        }
    }

    private static IEnumerable<string> Leaves(JsonElement element, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            yield return prefix;
            yield break;
        }

        foreach (var property in element.EnumerateObject())
        {
            foreach (var leaf in Leaves(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}"))
            {
                yield return leaf;
            }
        }
    }
}
