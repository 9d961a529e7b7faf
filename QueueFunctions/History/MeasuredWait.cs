namespace QueueFunctions.History;

/// <summary>One ticket's wait, with the hour of the clinic's clock it was taken in (for the report's waits by hour).</summary>
public readonly record struct MeasuredWait(int IssuedHour, TimeSpan Length);
