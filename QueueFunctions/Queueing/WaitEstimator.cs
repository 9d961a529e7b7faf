namespace QueueFunctions.Queueing;

/// <summary>Estimates a patient's wait from how fast the clinic has moved today.</summary>
public static class WaitEstimator
{
    /// <summary>Fewer finished tickets than this say too little about the pace to estimate anything.</summary>
    public const int MinimumFinished = 3;

    /// <returns>Whole minutes, or null until enough patients have been seen today.</returns>
    public static int? EstimateMinutes(ClinicQueueState state, int ahead)
    {
        var finishes = state.Tickets
            .Where(t => t.FinishedAt is not null)
            .Select(t => t.FinishedAt!.Value)
            .Order()
            .ToList();
        if (finishes.Count < MinimumFinished)
        {
            return null;
        }

        var perPatient = (finishes[^1] - finishes[0]) / (finishes.Count - 1);
        return (int)Math.Ceiling(perPatient.TotalMinutes * ahead);
    }
}
