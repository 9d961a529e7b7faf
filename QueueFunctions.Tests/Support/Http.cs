using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace QueueFunctions.Tests.Support;

/// <summary>Builds requests on <see cref="DefaultHttpContext"/> and reads back what a result writes to the wire.</summary>
public static class Http
{
    public static HttpRequest Post(string body, bool declareLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(bytes);
        if (declareLength)
        {
            context.Request.ContentLength = bytes.Length;
        }

        return context.Request;
    }

    public static HttpRequest PostJson(object body) => Post(JsonSerializer.Serialize(body));

    public static HttpRequest Get(string queryString)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(queryString);
        return context.Request;
    }

    public static async Task<WireResponse> SendAsync(IActionResult result)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });
        context.Response.Body.Position = 0;
        var json = await JsonDocument.ParseAsync(context.Response.Body);
        return new WireResponse(context.Response.StatusCode, json.RootElement.Clone(), context.Response.Headers, context.Response.ContentType);
    }
}

public sealed record WireResponse(int Status, JsonElement Body, IHeaderDictionary Headers, string? ContentType)
{
    public IReadOnlyList<string> Fields => Body.EnumerateObject().Select(p => p.Name).ToList();

    public string? Code => Body.TryGetProperty("code", out var code) ? code.GetString() : null;

    public JsonElement this[string field] => Body.GetProperty(field);

    /// <summary>The contract's error shape, with the given status and code.</summary>
    public void AssertError(int status, string code)
    {
        Assert.Equal(status, Status);
        Assert.Equal(["success", "error", "code"], Fields);
        Assert.False(Body.GetProperty("success").GetBoolean());
        Assert.Equal(code, Code);
        Assert.False(string.IsNullOrWhiteSpace(Body.GetProperty("error").GetString()));
        Assert.Equal("application/json; charset=utf-8", ContentType);
    }
}
