using System.Text.Json.Serialization;
using QueueFunctions.Domain;
using QueueFunctions.Visits;

namespace QueueFunctions.Streams;

public sealed record ConnectedMessage(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp)
{
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type => "CONNECTED";
}

public sealed record QueueUpdateMessage(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("waiting")] int Waiting,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp)
{
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type => "QUEUE_UPDATE";
}

/// <summary>What one patient's phone needs: whether to alert them, and where they stand.</summary>
/// <param name="NextClinic">On a visit, once this step is done: the clinic the visit moved the patient to.</param>
public sealed record UserUpdateMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("number")] int? Number,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("ahead")] int? Ahead,
    [property: JsonPropertyName("status")] TicketStatus? Status,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("next_clinic"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextClinic = null,
    [property: JsonPropertyName("next_number"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? NextNumber = null);

public static class StreamMessages
{
    public const string YourTurn = "YOUR_TURN";
    public const string NearTurn = "NEAR_TURN";
    public const string StepDoneNext = "STEP_DONE_NEXT";
    public const string NoAlert = "NO_ALERT";
    public const string NotInQueue = "NOT_IN_QUEUE";
    public const string VisitComplete = "VISIT_COMPLETE";

    /// <summary>The waiting-room board's view of the queue.</summary>
    public static QueueUpdateMessage ForBoard(ClinicQueueState state, DateTimeOffset timestamp) =>
        new(state.Clinic, state.Current, state.LastNumber, state.WaitingCount, timestamp);

    /// <summary>One patient's view: their ticket of the day and the alert it calls for.</summary>
    public static UserUpdateMessage ForUser(ClinicQueueState state, string user, DateTimeOffset timestamp)
    {
        var ticket = state.LatestTicketOf(user);
        if (ticket is null)
        {
            return new UserUpdateMessage(NotInQueue, state.Clinic, user, null, state.Current, null, null, timestamp);
        }

        var ahead = state.AheadOf(ticket.Number);
        var type = ticket.Status switch
        {
            TicketStatus.Done => StepDoneNext,
            TicketStatus.Waiting when ticket.Number == state.Current => YourTurn,
            TicketStatus.Waiting when ahead is 1 or 2 => NearTurn,
            _ => NoAlert,
        };
        return new UserUpdateMessage(type, state.Clinic, ticket.User, ticket.Number, state.Current, ahead, ticket.Status, timestamp);
    }

    /// <summary>
    /// A done step of a visit: where the visit sent the patient next, or that the visit is complete. Until the visit
    /// has moved, the message stays a plain STEP_DONE_NEXT without a next clinic.
    /// </summary>
    public static UserUpdateMessage WithVisit(UserUpdateMessage message, VisitProgress? visit)
    {
        if (message.Type != StepDoneNext || visit is null)
        {
            return message;
        }

        return visit.StepAfter(message.Clinic) is { } next
            ? message with { NextClinic = next.Clinic, NextNumber = next.Number }
            : visit.Status == VisitStatus.Complete ? message with { Type = VisitComplete } : message;
    }
}
