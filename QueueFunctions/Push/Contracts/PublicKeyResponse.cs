using System.Text.Json.Serialization;

namespace QueueFunctions.Push.Contracts;

/// <summary>The VAPID public key the page subscribes with (<c>applicationServerKey</c>).</summary>
public sealed record PublicKeyResponse([property: JsonPropertyName("publicKey")] string PublicKey)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}
