using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using QueueFunctions.Api;
using QueueFunctions.Entities;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing;

namespace QueueFunctions.Visits;

/// <summary>POST /api/v1/visits: a patient starts today's exam visit and gets a ticket at its first clinic.</summary>
public sealed class StartVisitFunction(VisitClient visits, ClinicQueueClient queue, FloodLimiters limits)
{
    [Function("StartVisit")]
    public Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/visits")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiGuard.RunAsync(async () =>
        {
            var body = await JsonBody.ReadAsync(request, cancellationToken);
            var user = ClinicDirectory.ResolveUser(body.RequiredString("user", ErrorCodes.InvalidUser));
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
            if (FirstClinicOf(exam, gender) is { } first && limits.TryEnter(first) is { } wait)
            {
                throw ApiProblem.RateLimited(wait);
            }

            var (visit, existing) = await visits.StartAsync(client, user, exam, gender, cancellationToken);
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
        });

    /// <summary>The first of the fixed clinics the visit has, else the first in table order (the router may pick another).</summary>
    private string? FirstClinicOf(Exam exam, string gender)
    {
        var clinics = visits.Rules.ClinicsFor(exam, gender);
        return visits.Rules.FixedOrderOf(clinics).FirstOrDefault() ?? clinics.FirstOrDefault();
    }
}
