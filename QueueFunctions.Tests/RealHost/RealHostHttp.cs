using System.Net.Http.Json;
using System.Text.Json;

namespace QueueFunctions.Tests.RealHost;

/// <summary>Requests to a Functions host, with the host's function key where staff would send it.</summary>
public static class RealHostHttp
{
    public sealed record Reply(int Status, JsonElement Body, HttpResponseMessage Response)
    {
        public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    public static async Task<Reply> PostReplyAsync(this HttpClient http, string path, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        return await SendReplyAsync(http, request, key);
    }

    public static async Task<Reply> GetReplyAsync(this HttpClient http, string path, string? key = null) =>
        await SendReplyAsync(http, new HttpRequestMessage(HttpMethod.Get, path), key);

    public static async Task<Reply> SendReplyAsync(this HttpClient http, HttpRequestMessage request, string? key = null)
    {
        using (request)
        {
            if (key is not null)
            {
                request.Headers.Add("x-functions-key", key);
            }

            HttpResponseMessage response = await http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            JsonElement body = default;
            if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }

            return new Reply((int)response.StatusCode, body, response);
        }
    }

    public static Task<Reply> EnterAsync(this HttpClient http, string clinic, string user) =>
        http.PostReplyAsync("api/v1/queue/enter", new { clinic, user });

    public static async Task<string> PinAsync(this HttpClient http, string clinic)
    {
        Reply pins = await http.GetReplyAsync("api/v1/pin/status", FunctionsHostInstance.FunctionKey);
        Assert.Equal(200, pins.Status);
        return pins.Body.GetProperty("pins").GetProperty(clinic).GetString()!;
    }
}
