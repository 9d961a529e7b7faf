using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using QueueFunctions.Api;

namespace QueueFunctions.Tests.Api;

public class UnhandledErrorMiddlewareTests
{
    private static (Mock<FunctionContext> Function, DefaultHttpContext Http) Context()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        var function = new Mock<FunctionContext>();
        // Where the ASP.NET Core integration keeps the request's HttpContext for GetHttpContext().
        function.SetupGet(f => f.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("QueueEnter");
        function.SetupGet(f => f.FunctionDefinition).Returns(definition.Object);
        return (function, http);
    }

    [Fact]
    public async Task An_unexpected_failure_is_the_contracts_500_json_not_a_stack_trace()
    {
        var (function, http) = Context();
        var middleware = new UnhandledErrorMiddleware(NullLogger<UnhandledErrorMiddleware>.Instance);

        await middleware.Invoke(function.Object, _ => throw new NullReferenceException("secret internals"));

        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", http.Response.ContentType);
        Assert.Contains("\"code\":\"INTERNAL_ERROR\"", body);
        Assert.DoesNotContain("secret internals", body);
        Assert.DoesNotContain("NullReferenceException", body);
    }

    [Fact]
    public async Task A_function_that_succeeds_is_left_alone()
    {
        var (function, http) = Context();
        var middleware = new UnhandledErrorMiddleware(NullLogger<UnhandledErrorMiddleware>.Instance);

        await middleware.Invoke(function.Object, _ => Task.CompletedTask);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal(0, http.Response.Body.Length);
    }

    [Fact]
    public async Task A_failure_outside_http_is_not_swallowed()
    {
        var function = new Mock<FunctionContext>();
        function.SetupGet(f => f.Items).Returns(new Dictionary<object, object>());
        var middleware = new UnhandledErrorMiddleware(NullLogger<UnhandledErrorMiddleware>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.Invoke(function.Object, _ => throw new InvalidOperationException("entity failed")));
    }
}
