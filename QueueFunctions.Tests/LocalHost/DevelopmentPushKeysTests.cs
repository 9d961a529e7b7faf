using System.Text.Json;
using Microsoft.Extensions.Configuration;
using QueueFunctions.Configuration;
using QueueFunctions.LocalHost.CommandLine;

namespace QueueFunctions.Tests.LocalHost;

/// <summary>A fresh clone's first run makes a development VAPID pair in local.settings.json and keeps using it.</summary>
public sealed class DevelopmentPushKeysTests : IDisposable
{
    private readonly string repo = Directory.CreateTempSubdirectory("push-keys-").FullName;

    public DevelopmentPushKeysTests()
    {
        Directory.CreateDirectory(Path.Combine(repo, "QueueFunctions"));
        File.WriteAllText(Path.Combine(repo, "local.settings.sample.json"), """{"IsEncrypted":false,"Values":{"Queue__PinDigits":"4","Push__PublicKey":"","Push__PrivateKey":""}}""");
    }

    [Fact]
    public void The_first_run_makes_a_valid_pair_from_the_sample_and_later_runs_keep_it()
    {
        var none = new ConfigurationBuilder().Build();

        var first = DevelopmentPushKeys.For(none, repo, _ => { });
        var second = DevelopmentPushKeys.For(none, repo, _ => { });

        var options = new PushOptions { PublicKey = first["Push:PublicKey"]!, PrivateKey = first["Push:PrivateKey"]! };
        Assert.True(new PushOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(first, second);
        using var file = JsonDocument.Parse(File.ReadAllText(DevelopmentPushKeys.SettingsFile(repo)));
        Assert.Equal("4", file.RootElement.GetProperty("Values").GetProperty("Queue__PinDigits").GetString());
        Assert.Equal(options.PublicKey, file.RootElement.GetProperty("Values").GetProperty("Push__PublicKey").GetString());
    }

    [Fact]
    public void A_run_that_sets_its_own_keys_is_left_alone()
    {
        var own = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Push:PublicKey"] = "set" }).Build();

        Assert.Empty(DevelopmentPushKeys.For(own, repo, _ => { }));
        Assert.False(File.Exists(DevelopmentPushKeys.SettingsFile(repo)));
    }

    [Fact]
    public void Fresh_pairs_differ() => Assert.NotEqual(DevelopmentPushKeys.NewPair(), DevelopmentPushKeys.NewPair());

    public void Dispose() => Directory.Delete(repo, recursive: true);
}
