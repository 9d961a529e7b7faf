using Microsoft.Extensions.Logging;
using QueueFunctions.LocalHost.Http;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.LocalHost;

/// <summary>A function key given as <c>?code=</c> never reaches a log provider of the local host.</summary>
public sealed class RedactingLoggerFactoryTests
{
    [Theory]
    [InlineData("GET http://h/api/v1/pin/status?code=SECRET - 200", "GET http://h/api/v1/pin/status?code=[hidden] - 200")]
    [InlineData("GET /r?clinic=lab&code=SECRET&format=csv", "GET /r?clinic=lab&code=[hidden]&format=csv")]
    [InlineData("GET /r?CODE=SECRET", "GET /r?CODE=[hidden]")]
    [InlineData("GET /r?code=SECRET#top", "GET /r?code=[hidden]#top")]
    [InlineData("GET /r?zipcode=12345", "GET /r?zipcode=12345")]
    [InlineData("no address at all", "no address at all")]
    public void The_value_of_code_is_hidden_and_nothing_else(string text, string logged)
    {
        Assert.Equal(logged, QueryKeyRedaction.Redact(text));
    }

    [Fact]
    public void Entries_reach_the_providers_with_the_key_hidden_in_message_and_values()
    {
        var captured = new CapturedLogs(LogLevel.Trace);
        using var factory = new RedactingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(captured).SetMinimumLevel(LogLevel.Trace)));
        var logger = factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        logger.LogInformation("Request starting {Path}{QueryString}", "/api/v1/queue/reset", "?code=SECRET");
        logger.LogDebug("Nothing to hide in {Path}", "/api/v1/queue/status?clinic=lab");

        Assert.Equal(
            ["Request starting /api/v1/queue/reset?code=[hidden]", "Nothing to hide in /api/v1/queue/status?clinic=lab"],
            captured.Entries.Select(e => e.Message));
    }

    [Fact]
    public void Filters_still_apply()
    {
        var captured = new CapturedLogs(LogLevel.Trace);
        using var factory = new RedactingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(captured).SetMinimumLevel(LogLevel.Warning)));

        factory.CreateLogger("any").LogInformation("GET /r?code=SECRET");

        Assert.Empty(captured.Entries);
    }
}
