using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using QueueFunctions.Api;
using QueueFunctions.Domain;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;

namespace QueueFunctions.Tests.Queueing;

public class ClinicStateReaderTests
{
    private readonly QueueBackend backend = new();
    private readonly ClinicStateReader reader = new(NullLogger<ClinicStateReader>.Instance);

    [Fact]
    public async Task A_read_that_fails_once_is_tried_again()
    {
        var state = Clinic.OpenLab();
        var calls = 0;
        backend.Entities
            .Setup(e => e.GetEntityAsync<ClinicQueueState>(It.IsAny<EntityInstanceId>(), true, It.IsAny<CancellationToken>()))
            .Returns<EntityInstanceId, bool, CancellationToken>((id, _, _) => ++calls == 1
                ? throw new InvalidOperationException("Failed to download or decompress blob")
                : Task.FromResult<EntityMetadata<ClinicQueueState>?>(new EntityMetadata<ClinicQueueState>(id, state)));

        var read = await reader.ReadAsync(backend.Client.Object, "lab", CancellationToken.None);

        Assert.Same(state, read);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_read_that_keeps_failing_is_backend_unavailable_after_the_last_attempt()
    {
        backend.Outage = new HttpRequestException("connection refused");

        await Assert.ThrowsAsync<BackendUnavailableException>(() => reader.ReadAsync(backend.Client.Object, "lab", CancellationToken.None));

        Assert.Equal(ClinicStateReader.ReadAttempts, reader.Reads);
    }

    [Fact]
    public async Task A_cancelled_read_is_not_retried_nor_blamed_on_the_backend()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        backend.Entities
            .Setup(e => e.GetEntityAsync<ClinicQueueState>(It.IsAny<EntityInstanceId>(), true, It.IsAny<CancellationToken>()))
            .Returns<EntityInstanceId, bool, CancellationToken>((_, _, token) => Task.FromCanceled<EntityMetadata<ClinicQueueState>?>(token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(backend.Client.Object, "lab", cancelled.Token));

        Assert.Equal(1, reader.Reads);
    }
}
