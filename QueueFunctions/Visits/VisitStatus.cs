namespace QueueFunctions.Visits;

/// <summary>The visit's and its steps' status strings, exactly as the contract spells them.</summary>
public static class VisitStatus
{
    public const string InProgress = "IN_PROGRESS";
    public const string Complete = "COMPLETE";

    /// <summary>The service day ended before the visit's last step.</summary>
    public const string Closed = "CLOSED";

    public const string StepPending = "PENDING";
    public const string StepWaiting = "WAITING";
    public const string StepDone = "DONE";
    public const string StepNoShow = "NO_SHOW";
}
