using System.Text.Json.Serialization;
using QueueFunctions.Queueing;

namespace QueueFunctions.Api.Contracts;

public sealed record DoneResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("current"), JsonPropertyOrder(2)] int Current)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;

    [JsonPropertyName("status")]
    [JsonPropertyOrder(1)]
    public TicketStatus Status => TicketStatus.Done;

    /// <summary>
    /// Whether a visit moved the patient on to another clinic. Without visits nothing is unlocked, and saying so
    /// is the point: the earlier system answered true whatever happened.
    /// </summary>
    [JsonPropertyName("next_clinic_unlocked")]
    [JsonPropertyOrder(3)]
    public bool NextClinicUnlocked => false;
}
