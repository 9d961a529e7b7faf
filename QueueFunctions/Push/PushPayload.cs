using System.Text.Json.Serialization;

namespace QueueFunctions.Push;

/// <summary>
/// What the page's service worker receives (encrypted, RFC 8291) and shows as a notification: the alert's type with
/// ready-written text in the subscription's language, and the ticket page to open when it is tapped.
/// </summary>
public sealed record PushPayload(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("number")] int? Number,
    [property: JsonPropertyName("next_clinic"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextClinic,
    [property: JsonPropertyName("next_number"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? NextNumber,
    [property: JsonPropertyName("lang")] string Lang);
