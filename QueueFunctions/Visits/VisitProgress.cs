using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace QueueFunctions.Visits;

/// <summary>A clinic the visit has reached: the ticket it holds there, and whether that step is finished.</summary>
public sealed record VisitStep(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("done")] bool Done);

/// <summary>
/// Where a visit stands, as its orchestration publishes it (custom status): the steps walked in order, and the
/// clinics still to come in table order. Immutable: every move returns the next progress.
/// </summary>
public sealed record VisitProgress(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("exam")] string Exam,
    [property: JsonPropertyName("gender")] string Gender,
    [property: JsonPropertyName("serviceDay")] DateOnly ServiceDay,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("steps")] ImmutableList<VisitStep> Steps,
    [property: JsonPropertyName("remaining")] ImmutableList<string> Remaining)
{
    public static VisitProgress Start(VisitPlan plan) => new(
        plan.User, plan.Exam, plan.Gender, plan.ServiceDay, VisitStatus.InProgress, [], [.. plan.Clinics]);

    /// <summary>The visit's instance id: its user and service day name it.</summary>
    [JsonIgnore]
    public string Id => VisitIds.For(User, ServiceDay);

    /// <summary>The step being walked: its ticket is not done yet. Null between steps and once the visit ends.</summary>
    [JsonIgnore]
    public VisitStep? Current => Status == VisitStatus.InProgress ? Steps.LastOrDefault(s => !s.Done) : null;

    [JsonIgnore]
    public bool IsOpen => Status == VisitStatus.InProgress;

    public VisitProgress Entered(string clinic, int number) => this with
    {
        Steps = Steps.Add(new VisitStep(clinic, number, false)),
        Remaining = Remaining.Remove(clinic),
    };

    /// <summary>The current step's ticket (which may have been re-taken after a no-show) is done.</summary>
    public VisitProgress StepDone(int number)
    {
        var current = Current ?? throw new InvalidOperationException("No step of this visit is open.");
        var done = this with { Steps = Steps.Replace(current, current with { Number = number, Done = true }) };
        return done.Remaining.IsEmpty ? done with { Status = VisitStatus.Complete } : done;
    }

    public VisitProgress Closed() => Status == VisitStatus.InProgress ? this with { Status = VisitStatus.Closed } : this;

    /// <summary>The step that follows the one done at <paramref name="clinic"/>, once the visit has entered it.</summary>
    public VisitStep? StepAfter(string clinic)
    {
        var index = Steps.FindIndex(s => s.Clinic == clinic);
        return index >= 0 && index + 1 < Steps.Count ? Steps[index + 1] : null;
    }
}
