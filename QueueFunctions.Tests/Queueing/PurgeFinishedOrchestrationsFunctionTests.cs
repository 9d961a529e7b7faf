using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using QueueFunctions.Queueing;

namespace QueueFunctions.Tests.Queueing;

public class PurgeFinishedOrchestrationsFunctionTests
{
    [Fact]
    public async Task Purges_only_finished_runs_older_than_an_hour()
    {
        var now = new DateTimeOffset(2026, 11, 29, 9, 41, 0, TimeSpan.Zero);
        var client = new Mock<DurableTaskClient>("test");
        PurgeInstancesFilter? filter = null;
        client.Setup(c => c.PurgeAllInstancesAsync(It.IsAny<PurgeInstancesFilter>(), It.IsAny<PurgeInstanceOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<PurgeInstancesFilter, PurgeInstanceOptions?, CancellationToken>((f, _, _) => filter = f)
            .ReturnsAsync(new PurgeResult(12));
        var function = new PurgeFinishedOrchestrationsFunction(new FakeTimeProvider(now), NullLogger<PurgeFinishedOrchestrationsFunction>.Instance);

        await function.RunAsync(null!, client.Object, CancellationToken.None);

        Assert.NotNull(filter);
        Assert.Equal(now.AddHours(-1), filter.CreatedTo);
        Assert.Null(filter.CreatedFrom);
        Assert.Equal(
            [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
            filter.Statuses!.Order());
    }
}
