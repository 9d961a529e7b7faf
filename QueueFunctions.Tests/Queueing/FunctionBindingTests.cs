using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using QueueFunctions.Queueing.Endpoints;

namespace QueueFunctions.Tests.Queueing;

/// <summary>The routes, methods and key levels the Functions host reads from the attributes.</summary>
public class FunctionBindingTests
{
    public static TheoryData<string, string, string, AuthorizationLevel> Endpoints => new()
    {
        { "QueueEnter", "post", "api/v1/queue/enter", AuthorizationLevel.Anonymous },
        { "QueueStatus", "get", "api/v1/queue/status", AuthorizationLevel.Anonymous },
        { "QueueDone", "post", "api/v1/queue/done", AuthorizationLevel.Anonymous },
        { "QueueCall", "post", "api/v1/queue/call", AuthorizationLevel.Function },
        { "QueueReset", "post", "api/v1/queue/reset", AuthorizationLevel.Function },
        { "PinStatus", "get", "api/v1/pin/status", AuthorizationLevel.Function },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Each_endpoint_is_bound_as_the_contract_says(string function, string method, string route, AuthorizationLevel level)
    {
        var run = typeof(QueueEndpoints).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == function);
        var trigger = run.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;

        Assert.Equal(route, trigger.Route);
        Assert.Equal([method], trigger.Methods ?? []);
        Assert.Equal(level, trigger.AuthLevel);
        Assert.Contains(run.GetParameters(), p => p.GetCustomAttribute<DurableClientAttribute>() is not null);
    }

    [Fact]
    public void Function_names_are_unique()
    {
        var names = typeof(QueueEndpoints).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("ClinicQueue", names);
    }
}
