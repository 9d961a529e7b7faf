namespace QueueFunctions.Domain;

/// <summary>Estimates a patient's wait from how fast the clinic has moved today.</summary>
public static class WaitEstimator
{
    /// <summary>Fewer finished tickets than this say too little about the pace to estimate anything.</summary>
    public const int MinimumFinished = 3;

    /// <returns>Whole minutes, or null until enough patients have been seen today.</returns>
    public static int? EstimateMinutes(ClinicQueueState state, int ahead) =>
        state.Pace is { Count: >= MinimumFinished, PerPatient: { } perPatient }
            ? (int)Math.Ceiling(perPatient.TotalMinutes * ahead)
            : null;
}
