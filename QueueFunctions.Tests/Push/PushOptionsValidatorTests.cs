using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support.Push;

namespace QueueFunctions.Tests.Push;

/// <summary>Push settings that no push service would accept stop the app at start, naming the setting.</summary>
public sealed class PushOptionsValidatorTests
{
    private static readonly VapidKeyPair Keys = VapidKeyPair.New();

    [Fact]
    public void Without_keys_push_is_off_and_valid()
    {
        var options = new PushOptions();

        Assert.False(options.IsConfigured);
        Assert.True(new PushOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_real_key_pair_is_accepted() =>
        Assert.True(new PushOptionsValidator().Validate(null, new PushOptions { PublicKey = Keys.PublicKey, PrivateKey = Keys.PrivateKey }).Succeeded);

    [Theory]
    [InlineData("half", "set together")]
    [InlineData("short-public", "Push:PublicKey")]
    [InlineData("short-private", "Push:PrivateKey")]
    [InlineData("subject", "Push:Subject")]
    [InlineData("hosts", "Push:AllowedHosts")]
    public void A_bad_push_setting_is_named(string fault, string named)
    {
        var options = new PushOptions { PublicKey = Keys.PublicKey, PrivateKey = Keys.PrivateKey };
        switch (fault)
        {
            case "half": options.PrivateKey = string.Empty; break;
            case "short-public": options.PublicKey = Keys.PublicKey[..43]; break;
            case "short-private": options.PrivateKey = Keys.PrivateKey[..20]; break;
            case "subject": options.Subject = "it@clinic.example"; break;
            case "hosts": options.AllowedHosts = "fcm.googleapis.com,https://evil/"; break;
        }

        var result = new PushOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }
}
