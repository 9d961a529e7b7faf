using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.FloodControl;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Tests.FloodControl;

/// <summary>The Limits:* settings: bound from configuration, checked at start, documented with their defaults.</summary>
public class FloodLimitSettingsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddClinicQueue(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void The_limits_bind_from_configuration_and_the_limiters_use_them()
    {
        using var services = Build(new() { ["Limits:EnterBurst"] = "2", ["Limits:EnterPerSecond"] = "1", ["Limits:StreamsPerClinic"] = "7" });

        var options = services.GetRequiredService<IOptions<FloodLimitOptions>>().Value;
        var limits = services.GetRequiredService<FloodLimiters>();

        Assert.Equal((2, 1, 7), (options.EnterBurst, options.EnterPerSecond, options.StreamsPerClinic));
        Assert.Null(limits.TryEnter("lab"));
        Assert.Null(limits.TryEnter("lab"));
        Assert.NotNull(limits.TryEnter("lab"));
    }

    [Fact]
    public void The_limits_are_on_unless_switched_off()
    {
        using var services = Build([]);
        using var off = Build(new() { ["Limits:Enabled"] = "false" });

        Assert.True(services.GetRequiredService<IOptions<FloodLimitOptions>>().Value.Enabled);
        Assert.False(off.GetRequiredService<IOptions<FloodLimitOptions>>().Value.Enabled);
    }

    [Theory]
    [InlineData("Limits:EnterBurst", "0")]
    [InlineData("Limits:DonePerSecond", "-1")]
    [InlineData("Limits:StreamsPerInstance", "0")]
    public void A_bad_limit_is_named_when_the_options_are_first_used(string key, string value)
    {
        using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FloodLimitOptions>>().Value);

        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public void Every_limit_is_in_the_readmes_settings_table_with_its_default()
    {
        var readme = File.ReadAllLines(Path.Combine(AzuriteProcess.FindRepositoryRoot()!, "README.md"));
        var defaults = new FloodLimitOptions();

        foreach (var property in typeof(FloodLimitOptions).GetProperties())
        {
            var value = Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture)!.ToLowerInvariant();
            Assert.Contains(readme, line => line.StartsWith($"| `{FloodLimitOptions.Section}:{property.Name}` | `{value}` |", StringComparison.Ordinal));
        }
    }
}
