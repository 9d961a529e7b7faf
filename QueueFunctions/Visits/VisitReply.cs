using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Queueing;

namespace QueueFunctions.Visits;

/// <summary>The visit reply both visit endpoints send: progress plus the current clinic read live.</summary>
public static class VisitReply
{
    public static async Task<ApiResult> OkAsync(
        VisitClient visits, ClinicQueueClient queue, DurableTaskClient client, VisitProgress visit, bool? existing, CancellationToken cancellationToken)
    {
        var clinic = visit.Current is { } step ? await queue.ReadAsync(client, step.Clinic, cancellationToken) : null;
        var examName = visits.Rules.FindExam(visit.Exam)?.Name ?? visit.Exam;
        return ApiResult.Ok(VisitView.Of(visit, examName, clinic, existing));
    }
}
