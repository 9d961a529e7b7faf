using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Tests.Support;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Visits;

/// <summary>Waiting on a visit through a mocked <see cref="DurableTaskClient"/>: what the instance's read says decides the answer.</summary>
public class VisitClientTests
{
    private static readonly VisitPlan Plan = new(
        "P1", "cooks", "male", Clinic.Today, ["lab", "internal", "ent", "surgery"], ["lab"], Clinic.Morning, Clinic.Rules.EndOf(Clinic.Today));

    private static readonly string Id = VisitIds.For("P1", Clinic.Today);

    private readonly Mock<DurableTaskClient> client = new(MockBehavior.Strict, "test");

    /// <summary>One second, so that a wait that polls on where it should answer fails fast instead of after ten.</summary>
    private readonly VisitClient visits = new(
        new VisitOptions().ToRules(),
        Clinic.Rules,
        Microsoft.Extensions.Options.Options.Create(new QueueOptions { ConfirmTimeoutSeconds = 1 }),
        new FakeTimeProvider(Clinic.Morning),
        NullLogger<VisitClient>.Instance);

    /// <summary>The done endpoint's condition: the visit has entered the step after lab, or has ended.</summary>
    private static bool MovedOnFromLab(VisitProgress visit) => !visit.IsOpen || visit.StepAfter("lab") is not null;

    [Fact]
    public async Task A_visit_whose_instance_was_purged_reads_as_closed_at_once()
    {
        Returns(null);

        var visit = await visits.WaitAsync(client.Object, Id, MovedOnFromLab, CancellationToken.None);

        Assert.Equal(VisitStatus.Closed, visit.Status);
        Assert.False(visit.IsOpen);
        Assert.Null(visit.StepAfter("lab"));
        Assert.Empty(visit.Steps);
        // One read: nothing will move a purged visit, so polling on could only end in a timeout.
        client.Verify(c => c.GetInstanceAsync(Id, true, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_visit_already_read_whose_instance_goes_comes_back_as_it_was_but_closed()
    {
        var known = VisitProgress.Start(Plan).Entered("lab", 3);
        Returns(null);

        var visit = await visits.WaitAsync(client.Object, known, v => !v.Steps.IsEmpty || !v.IsOpen, CancellationToken.None);

        Assert.Equal(known with { Status = VisitStatus.Closed }, visit);
    }

    [Fact]
    public async Task A_failed_visit_still_in_the_task_hub_reads_as_closed_with_its_steps()
    {
        Returns(Metadata(VisitProgress.Start(Plan).Entered("lab", 3), OrchestrationRuntimeStatus.Failed));

        var visit = await visits.WaitAsync(client.Object, Id, MovedOnFromLab, CancellationToken.None);

        Assert.Equal((VisitStatus.Closed, 1), (visit.Status, visit.Steps.Count));
    }

    [Fact]
    public async Task A_running_visit_that_does_not_move_is_still_a_timeout()
    {
        Returns(Metadata(VisitProgress.Start(Plan).Entered("lab", 3), OrchestrationRuntimeStatus.Running));

        await Assert.ThrowsAsync<ConfirmationTimeoutException>(() => visits.WaitAsync(client.Object, Id, MovedOnFromLab, CancellationToken.None));
    }

    private void Returns(OrchestrationMetadata? metadata) =>
        client.Setup(c => c.GetInstanceAsync(Id, true, It.IsAny<CancellationToken>())).ReturnsAsync(metadata);

    private static OrchestrationMetadata Metadata(VisitProgress progress, OrchestrationRuntimeStatus status) =>
        new(VisitOrchestrator.Name, Id)
        {
            DataConverter = JsonDataConverter.Default,
            RuntimeStatus = status,
            SerializedCustomStatus = JsonDataConverter.Default.Serialize(progress),
        };
}
