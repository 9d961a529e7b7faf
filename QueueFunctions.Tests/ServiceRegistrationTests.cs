using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QueueFunctions.Configuration;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests;

public class ServiceRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddClinicQueue(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void Queue_settings_bind_from_configuration()
    {
        using var services = Build(new() { ["Queue:Clinics"] = "lab,xray", ["Queue:PinDigits"] = "6", ["Queue:ServiceDayStartsAt"] = "04:30" });

        var options = services.GetRequiredService<IOptions<QueueOptions>>().Value;

        Assert.Equal(["lab", "xray"], options.ClinicList());
        Assert.Equal(6, services.GetRequiredService<QueueFunctions.Domain.QueueRules>().PinDigits);
        Assert.Equal(new TimeOnly(4, 30), services.GetRequiredService<QueueFunctions.Domain.QueueRules>().ServiceDayStartsAt);
    }

    [Theory]
    [InlineData("Queue:TimeZone", "Nowhere/Land")]
    [InlineData("Queue:PinDigits", "2")]
    [InlineData("Queue:ServiceDayStartsAt", "25:00")]
    public void A_bad_setting_is_named_when_the_options_are_first_used(string key, string value)
    {
        using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<QueueOptions>>().Value);

        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public void The_events_queue_uses_the_storage_connection_string_locally()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        var queue = services.GetRequiredService<QueueEventsQueue>();

        Assert.Equal("devstoreaccount1", queue.Client.AccountName);
        Assert.Equal("queue-events", queue.Client.Name);
    }

    [Fact]
    public void The_events_queue_uses_the_identity_based_settings_in_azure()
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:queueServiceUri"] = "https://clinicstore.queue.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        var queue = services.GetRequiredService<QueueEventsQueue>();

        Assert.Equal(new Uri("https://clinicstore.queue.core.windows.net/queue-events"), queue.Client.Uri);
    }

    [Fact]
    public void The_events_queue_can_be_found_from_the_account_name_alone()
    {
        using var services = Build(new() { ["AzureWebJobsStorage:accountName"] = "clinicstore" });

        Assert.Equal(new Uri("https://clinicstore.queue.core.windows.net/queue-events"), services.GetRequiredService<QueueEventsQueue>().Client.Uri);
    }

    [Fact]
    public void The_history_table_uses_the_identity_based_settings_in_azure_and_its_configured_name()
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:tableServiceUri"] = "https://clinicstore.table.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["History:TableName"] = "clinichistory",
        });

        var table = services.GetRequiredService<QueueFunctions.History.HistoryTable>();

        Assert.Equal(new Uri("https://clinicstore.table.core.windows.net/clinichistory"), table.Client.Uri);
    }

    [Fact]
    public void The_history_table_uses_the_storage_connection_string_locally()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        var table = services.GetRequiredService<QueueFunctions.History.HistoryTable>();

        Assert.Equal("devstoreaccount1", table.Client.AccountName);
        Assert.Equal("queuehistory", table.Client.Name);
    }
}
