using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Tests.Overview;

public class OverviewSettingsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddClinicQueue(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void The_stalled_alert_waits_ten_minutes_by_default()
    {
        using var services = Build([]);

        Assert.Equal(TimeSpan.FromMinutes(10), services.GetRequiredService<IOptions<OverviewOptions>>().Value.StalledAfter);
    }

    [Fact]
    public void Fractions_of_a_minute_are_allowed()
    {
        using var services = Build(new() { ["Overview:StalledMinutes"] = "0.05" });

        Assert.Equal(TimeSpan.FromSeconds(3), services.GetRequiredService<IOptions<OverviewOptions>>().Value.StalledAfter);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1441")]
    public void A_threshold_outside_a_day_is_refused_naming_the_setting(string value)
    {
        using var services = Build(new() { ["Overview:StalledMinutes"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OverviewOptions>>().Value);

        Assert.Contains("StalledMinutes", error.Message);
    }

    [Fact]
    public void A_threshold_that_is_not_a_number_stops_the_start()
    {
        using var services = Build(new() { ["Overview:StalledMinutes"] = "ten" });

        Assert.ThrowsAny<InvalidOperationException>(() => services.GetRequiredService<IOptions<OverviewOptions>>().Value);
    }

    [Fact]
    public void Every_overview_setting_is_in_the_readme_s_settings_table_with_its_default()
    {
        var readme = File.ReadAllLines(Path.Combine(AzuriteProcess.FindRepositoryRoot()!, "README.md"));
        var defaults = new OverviewOptions();

        foreach (var property in typeof(OverviewOptions).GetProperties().Where(p => p.CanWrite))
        {
            var value = Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture)!;
            Assert.Contains(readme, line => line.StartsWith($"| `{OverviewOptions.Section}:{property.Name}` | `{value}` |", StringComparison.Ordinal));
        }
    }
}
