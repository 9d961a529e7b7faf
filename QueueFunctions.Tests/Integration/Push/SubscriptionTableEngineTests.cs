using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Push;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Push;

/// <summary>The subscriptions table on Azurite: replacing, capping, once-only alerts and the end of the day.</summary>
[Collection(EngineCollection.Name)]
public sealed class SubscriptionTableEngineTests(AzuriteFixture azurite)
{
    private const string P256dh = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
    private const string Auth = "tBHItJI5svbpez7KI4CCXg";

    private SubscriptionTable NewTable(int max = 5) =>
        new(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString),
            Options.Create(new PushOptions { TableName = "push" + AzuriteFixture.NewTaskHubName(), MaxSubscriptionsPerUser = max }));

    private static Subscription Of(string user, int n, string lang = "ar") => new(user, new Uri($"https://push.example/s/{n}"), P256dh, Auth, lang);

    [Fact]
    public async Task The_same_endpoint_again_replaces_it_even_under_another_user()
    {
        var table = NewTable();

        await table.SaveAsync(Clinic.Today, Of("A/1", 1), CancellationToken.None);
        await table.SaveAsync(Clinic.Today, Of("A/1", 1, "en"), CancellationToken.None);
        Assert.Equal("en", Assert.Single(await table.ForUserAsync(Clinic.Today, "a/1", CancellationToken.None)).Lang);

        await table.SaveAsync(Clinic.Today, Of("B?2", 1), CancellationToken.None);
        Assert.Empty(await table.ForUserAsync(Clinic.Today, "A/1", CancellationToken.None));
        Assert.Single(await table.ForUserAsync(Clinic.Today, "B?2", CancellationToken.None));

        Assert.True(await table.DeleteAsync(Clinic.Today, new Uri("https://push.example/s/1"), CancellationToken.None));
        Assert.False(await table.DeleteAsync(Clinic.Today, new Uri("https://push.example/s/1"), CancellationToken.None));
        Assert.Empty(await table.ForUserAsync(Clinic.Today, "B?2", CancellationToken.None));
    }

    [Fact]
    public async Task Several_patients_subscriptions_are_read_together_each_given_only_their_own()
    {
        var table = NewTable();
        await table.SaveAsync(Clinic.Today, Of("MANY", 1), CancellationToken.None);
        await table.SaveAsync(Clinic.Today, Of("MANY", 2, "en"), CancellationToken.None);
        await table.SaveAsync(Clinic.Today, Of("ONE", 3), CancellationToken.None);
        await table.SaveAsync(Clinic.Today, Of("MANYMORE", 4), CancellationToken.None);
        await table.SaveAsync(Clinic.Today.AddDays(-1), Of("ONE", 5), CancellationToken.None);

        var read = await table.ForUsersAsync(Clinic.Today, ["many", "ONE", "NONE"], CancellationToken.None);

        Assert.Equal(["NONE", "ONE", "many"], read.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["/s/1", "/s/2"], read["many"].Select(s => s.Endpoint.AbsolutePath).Order());
        Assert.Equal(["/s/3"], read["ONE"].Select(s => s.Endpoint.AbsolutePath));
        Assert.Empty(read["NONE"]);
        Assert.Empty(await table.ForUsersAsync(Clinic.Today, [], CancellationToken.None));
    }

    [Fact]
    public async Task A_user_keeps_at_most_the_cap_and_a_new_one_replaces_the_oldest()
    {
        var table = NewTable(max: 3);

        for (var n = 1; n <= 5; n++)
        {
            await table.SaveAsync(Clinic.Today, Of("CAPPED", n), CancellationToken.None);
        }

        var kept = await table.ForUserAsync(Clinic.Today, "CAPPED", CancellationToken.None);
        Assert.Equal(["/s/3", "/s/4", "/s/5"], kept.Select(s => s.Endpoint.AbsolutePath).Order());
        Assert.False(await table.DeleteAsync(Clinic.Today, new Uri("https://push.example/s/1"), CancellationToken.None));
    }

    [Fact]
    public async Task An_alert_is_marked_once_per_endpoint_and_a_failed_send_can_be_tried_again()
    {
        var table = NewTable();
        await table.SaveAsync(Clinic.Today, Of("ONCE", 1), CancellationToken.None);
        var endpoint = new Uri("https://push.example/s/1");

        Assert.True(await table.TryMarkSentAsync(Clinic.Today, "lab|0|3|YOUR_TURN", endpoint, CancellationToken.None));
        Assert.False(await table.TryMarkSentAsync(Clinic.Today, "lab|0|3|YOUR_TURN", endpoint, CancellationToken.None));
        Assert.True(await table.TryMarkSentAsync(Clinic.Today, "lab|0|3|NEAR_TURN", endpoint, CancellationToken.None));
        Assert.True(await table.TryMarkSentAsync(Clinic.Today, "lab|0|3|YOUR_TURN", new Uri("https://push.example/s/2"), CancellationToken.None));

        await table.UnmarkSentAsync(Clinic.Today, "lab|0|3|YOUR_TURN", endpoint, CancellationToken.None);
        Assert.True(await table.TryMarkSentAsync(Clinic.Today, "lab|0|3|YOUR_TURN", endpoint, CancellationToken.None));
    }

    [Fact]
    public async Task Subscriptions_end_with_their_service_day()
    {
        var table = NewTable();
        var yesterday = Clinic.Today.AddDays(-1);
        await table.SaveAsync(yesterday, Of("DAY", 1), CancellationToken.None);
        await table.TryMarkSentAsync(yesterday, "lab|0|1|YOUR_TURN", new Uri("https://push.example/s/1"), CancellationToken.None);
        await table.SaveAsync(Clinic.Today, Of("DAY", 2), CancellationToken.None);

        Assert.Single(await table.ForUserAsync(Clinic.Today, "DAY", CancellationToken.None));
        Assert.Equal(3, await table.DeleteDaysBeforeAsync(Clinic.Today, CancellationToken.None));

        Assert.Empty(await table.ForUserAsync(yesterday, "DAY", CancellationToken.None));
        Assert.Single(await table.ForUserAsync(Clinic.Today, "DAY", CancellationToken.None));
    }
}
