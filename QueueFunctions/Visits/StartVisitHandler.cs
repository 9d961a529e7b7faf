using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing;

namespace QueueFunctions.Visits;

/// <summary>POST /api/v1/visits: a patient starts today's exam visit and gets a ticket at its first clinic.</summary>
public sealed class StartVisitHandler(VisitClient visits, ClinicQueueClient queue, FloodLimiters limits, IdempotentReplies replies)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, JsonBody body, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var user = ClinicDirectory.UserOf(body);
        var examId = body.RequiredString("exam", ErrorCodes.InvalidExam);
        var exam = visits.Rules.FindExam(examId) ?? throw new ApiProblem(
            StatusCodes.Status400BadRequest,
            ErrorCodes.InvalidExam,
            $"There is no exam '{examId}'. Exams: {string.Join(", ", visits.Rules.Exams.Keys)}.");
        if (!VisitGender.TryNormalize(body.RequiredString("gender", ErrorCodes.InvalidGender), out var gender))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidGender, "The gender is 'male' or 'female'.");
        }

        // Starting a visit takes a ticket at its first clinic, so it counts as an enter there: otherwise a flood of
        // starts would pass the clinic's limit (and cost an orchestration each).
        var first = FirstClinicOf(exam, gender);
        if (first is not null && limits.TryEnter(first) is { } wait)
        {
            throw ApiProblem.RateLimited(wait);
        }

        return await replies.RunAsync(request, VisitsScope, "visits", body, async _ =>
        {
            // A new visit is a new arrival at its first clinic, held to the same cap as an enter there. Once admitted,
            // a visit's later steps are never refused, so nobody is stranded part-way through an exam.
            var (visit, existing) = await visits.StartAsync(
                client, user, exam, gender, cancellationToken, first is null ? null : () => queue.EnsureRoomAsync(client, first, user, cancellationToken));
            if (visit.Exam != exam.Id)
            {
                return ApiResult.Error(
                    StatusCodes.Status409Conflict,
                    ErrorCodes.VisitExists,
                    $"'{user}' already has a visit today, for the exam '{visit.Exam}'.");
            }

            // The reply carries the first ticket, so wait until the visit holds it (or has ended).
            visit = await visits.WaitAsync(client, visit, v => !v.Steps.IsEmpty || !v.IsOpen, cancellationToken);
            return await VisitReply.OkAsync(visits, queue, client, visit, existing, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Where an <c>Idempotency-Key</c> of a visit start is unique: visits are not one clinic's.</summary>
    public const string VisitsScope = "visits";

    /// <summary>The first of the fixed clinics the visit has, else the first in table order (the router may pick another).</summary>
    private string? FirstClinicOf(Exam exam, string gender)
    {
        var clinics = visits.Rules.ClinicsFor(exam, gender);
        return visits.Rules.FixedOrderOf(clinics).FirstOrDefault() ?? clinics.FirstOrDefault();
    }
}
