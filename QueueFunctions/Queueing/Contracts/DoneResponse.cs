using System.Text.Json.Serialization;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing.Contracts;

public sealed record DoneResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("current"), JsonPropertyOrder(2)] int Current,
    [property: JsonPropertyName("next_clinic"), JsonPropertyOrder(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextClinic = null,
    [property: JsonPropertyName("next_number"), JsonPropertyOrder(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? NextNumber = null,
    [property: JsonPropertyName("visit_complete"), JsonPropertyOrder(6), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? VisitComplete = null)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;

    [JsonPropertyName("status")]
    [JsonPropertyOrder(1)]
    public TicketStatus Status => TicketStatus.Done;

    /// <summary>
    /// Whether the patient's visit moved them on to another clinic: true only once they hold a ticket there. The
    /// earlier system answered true whatever happened.
    /// </summary>
    [JsonPropertyName("next_clinic_unlocked")]
    [JsonPropertyOrder(3)]
    public bool NextClinicUnlocked => NextClinic is not null;
}
