using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;

namespace QueueFunctions.Tests.Overview;

public class OverviewOptionsTests
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
}
