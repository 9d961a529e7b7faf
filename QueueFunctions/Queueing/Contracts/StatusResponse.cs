using System.Text.Json.Serialization;
using QueueFunctions.Domain;

namespace QueueFunctions.Queueing.Contracts;

/// <param name="You">Present (possibly null) only when the request named a user.</param>
public sealed record StatusResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("waiting")] int Waiting,
    [property: JsonPropertyName("done")] int Done,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}

/// <summary>The status answer for a request that named a user: the same fields plus <c>you</c>, null when the user has no ticket today.</summary>
public sealed record UserStatusResponse(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("waiting")] int Waiting,
    [property: JsonPropertyName("done")] int Done,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("you")] YourTicket? You)
{
    [JsonPropertyName("success")]
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}

public sealed record YourTicket(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("status")] TicketStatus Status,
    [property: JsonPropertyName("ahead")] int Ahead);
