using QueueFunctions.Configuration;

namespace QueueFunctions.Tests.Configuration;

public class QueueOptionsTests
{
    [Fact]
    public void Defaults_are_the_clinics_own()
    {
        var options = new QueueOptions();
        var rules = options.ToRules();

        Assert.Equal(16, options.ClinicList().Count);
        Assert.Contains("women_eyes", options.ClinicList());
        Assert.Equal(new TimeOnly(5, 0), rules.ServiceDayStartsAt);
        Assert.Equal(TimeSpan.FromHours(3), rules.TimeZone.GetUtcOffset(DateTime.UtcNow));
        Assert.Equal(4, rules.PinDigits);
        Assert.Equal(5, rules.MaxPinAttempts);
        Assert.True(new QueueOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_clinic_list_is_trimmed_lower_cased_and_may_be_empty()
    {
        Assert.Equal(["lab", "xray"], new QueueOptions { Clinics = " Lab, xray ,,LAB" }.ClinicList());
        Assert.Empty(new QueueOptions { Clinics = "" }.ClinicList());
    }

    [Theory]
    [InlineData("Mars/Olympus", "05:00", "lab")]
    [InlineData("Asia/Qatar", "5am", "lab")]
    [InlineData("Asia/Qatar", "05:00", "lab,x ray")]
    public void Bad_settings_are_refused_at_start(string zone, string startsAt, string clinics)
    {
        var result = new QueueOptionsValidator().Validate(null, new QueueOptions { TimeZone = zone, ServiceDayStartsAt = startsAt, Clinics = clinics });

        Assert.True(result.Failed);
    }
}
