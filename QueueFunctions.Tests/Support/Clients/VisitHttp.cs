using System.Text.Json;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Support.Clients;

/// <summary>The visit calls of the API over real HTTP, for the engine tests.</summary>
public static class VisitHttp
{
    public static Task<(int Status, JsonElement Body)> StartVisitAsync(this HttpClient http, string user, string exam, string gender = "male") =>
        http.PostAsync("api/v1/visits", new { user, exam, gender });

    public static Task<(int Status, JsonElement Body)> GetVisitAsync(this HttpClient http, string user) =>
        http.GetJsonAsync($"api/v1/visits?user={Uri.EscapeDataString(user)}");

    public static Task<(int Status, JsonElement Body)> DoneAsync(this HttpClient http, string clinic, string user, string pin) =>
        http.PostAsync("api/v1/queue/done", new { clinic, user, pin });

    /// <summary>Today's PINs, as staff read them with their key.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> PinsAsync(this HttpClient http)
    {
        var (status, body) = await http.GetJsonAsync("api/v1/pin/status", staff: true);
        Assert.Equal(200, status);
        return body.GetProperty("pins").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    /// <summary>The clinic the visit expects the patient at now, or null.</summary>
    public static string? CurrentClinic(this JsonElement visit) =>
        visit.GetProperty("current").ValueKind == JsonValueKind.Object ? visit.GetProperty("current").GetProperty("clinic").GetString() : null;

    public static IReadOnlyList<(string Clinic, string Status, int? Number)> Steps(this JsonElement visit) =>
        visit.GetProperty("steps").EnumerateArray()
            .Select(s => (
                s.GetProperty("clinic").GetString()!,
                s.GetProperty("status").GetString()!,
                s.GetProperty("number").ValueKind == JsonValueKind.Number ? s.GetProperty("number").GetInt32() : (int?)null))
            .ToList();
}
