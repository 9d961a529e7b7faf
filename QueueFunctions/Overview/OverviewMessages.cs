using System.Text.Json.Serialization;

namespace QueueFunctions.Overview;

/// <summary>The overview stream's first message: which clinics it follows.</summary>
public sealed record OverviewConnectedMessage(
    [property: JsonPropertyName("clinics")] IReadOnlyList<string> Clinics,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp)
{
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type => "CONNECTED";
}

/// <summary>Every clinic at once: at the start of the stream and every <c>Queue:RefreshSeconds</c>, which also moves the alerts on with the clock.</summary>
public sealed record OverviewMessage : OverviewSnapshot
{
    public OverviewMessage(OverviewSnapshot snapshot)
        : base(snapshot)
    {
    }

    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type => "OVERVIEW";
}

/// <summary>One clinic changed: its figures, and the centre's totals with them.</summary>
public sealed record ClinicUpdateMessage(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("figures")] ClinicOverview Figures,
    [property: JsonPropertyName("totals")] OverviewTotals Totals,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp)
{
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type => "CLINIC_UPDATE";
}
