using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using QueueFunctions.Api;
using QueueFunctions.Configuration;
using QueueFunctions.Domain;
using QueueFunctions.FloodControl;
using QueueFunctions.Queueing;
using QueueFunctions.Visits;

namespace QueueFunctions.Tests.Support;

/// <summary>
/// A mocked <see cref="DurableTaskClient"/> whose signals run the real entity at once, so the HTTP
/// functions can be tested alone, including a backend that is down or never confirms.
/// </summary>
public sealed class QueueBackend
{
    private readonly Dictionary<string, EntityHarness> clinics = [];
    private readonly FixedPins pins;

    public QueueBackend(QueueOptions? options = null, params string[] pins)
        : this(options, new FloodLimitOptions(), pins)
    {
    }

    public QueueBackend(QueueOptions? options, FloodLimitOptions limits, params string[] pins)
    {
        this.pins = new FixedPins(pins.Length == 0 ? [Clinic.Pin] : pins);
        Options = Microsoft.Extensions.Options.Options.Create(options ?? new QueueOptions());
        Time = new FakeTimeProvider(Clinic.Morning);
        Reader = new ClinicStateReader(NullLogger<ClinicStateReader>.Instance);
        Watchers = new ClinicWatchers(Reader, WatchPace.Default, NullLogger<ClinicWatcher>.Instance);
        Queue = new ClinicQueueClient(Options.Value.ToRules(), Options, Time, Reader, Watchers, NullLogger<ClinicQueueClient>.Instance);
        Directory = new ClinicDirectory(Options);
        Limits = new FloodLimiters(Microsoft.Extensions.Options.Options.Create(limits));

        Entities = new Mock<DurableEntityClient>(MockBehavior.Strict, "test");
        Entities
            .Setup(e => e.SignalEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>(), It.IsAny<CancellationToken>()))
            .Returns<EntityInstanceId, string, object?, SignalEntityOptions?, CancellationToken>(async (id, operation, input, _, _) =>
            {
                ThrowIfDown();
                Signals.Add((id.Key, operation));
                if (AppliesSignals)
                {
                    await HarnessFor(id.Key).RunAsync(operation, input);
                }
            });
        Entities
            .Setup(e => e.GetEntityAsync<ClinicQueueState>(It.IsAny<EntityInstanceId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns<EntityInstanceId, bool, CancellationToken>((id, _, _) =>
            {
                ThrowIfDown();
                return Task.FromResult(clinics.TryGetValue(id.Key, out var harness) && harness.Persisted is ClinicQueueState state
                    ? new EntityMetadata<ClinicQueueState>(id, state)
                    : null);
            });
        Entities
            .Setup(e => e.GetAllEntitiesAsync(It.IsAny<EntityQuery?>()))
            .Returns<EntityQuery?>(_ =>
            {
                ThrowIfDown();
                var page = new Page<EntityMetadata>(
                    clinics.Where(c => c.Value.Persisted is not null)
                        .Select(c => new EntityMetadata(new EntityInstanceId(ClinicQueueEntity.Name, c.Key)))
                        .ToList(),
                    null);
                return Pageable.Create((_, _, _) => Task.FromResult(page));
            });

        Entities
            .Setup(e => e.GetAllEntitiesAsync<ClinicQueueState>(It.IsAny<EntityQuery?>()))
            .Returns<EntityQuery?>(_ =>
            {
                ThrowIfDown();
                var page = new Page<EntityMetadata<ClinicQueueState>>(
                    clinics.Where(c => c.Value.Persisted is ClinicQueueState)
                        .Select(c => new EntityMetadata<ClinicQueueState>(new EntityInstanceId(ClinicQueueEntity.Name, c.Key), (ClinicQueueState)c.Value.Persisted!))
                        .ToList(),
                    null);
                return Pageable.Create((_, _, _) => Task.FromResult(page));
            });

        Client = new Mock<DurableTaskClient>(MockBehavior.Strict, "test");
        Client.SetupGet(c => c.Entities).Returns(Entities.Object);
        Client
            .Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Returns<string, bool, CancellationToken>((id, _, _) =>
            {
                ThrowIfDown();
                return Task.FromResult(VisitStore.TryGetValue(id, out var visit)
                    ? new OrchestrationMetadata(VisitOrchestrator.Name, id)
                    {
                        DataConverter = JsonDataConverter.Default,
                        RuntimeStatus = OrchestrationRuntimeStatus.Running,
                        SerializedCustomStatus = JsonDataConverter.Default.Serialize(visit),
                    }
                    : null);
            });
        Visits = new VisitClient(new VisitOptions().ToRules(), Options.Value.ToRules(), Options, Time, NullLogger<VisitClient>.Instance);
        // Only requests with an Idempotency-Key reach the table; tests of those run on Azurite (the HTTP tier).
        Replies = new IdempotentReplies(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"), Time, NullLogger<IdempotentReplies>.Instance);
    }

    /// <summary>Visits as their orchestrations would publish them, by instance id.</summary>
    public Dictionary<string, VisitProgress> VisitStore { get; } = [];

    public VisitClient Visits { get; }

    public IdempotentReplies Replies { get; }

    public IOptions<QueueOptions> Options { get; }

    public FakeTimeProvider Time { get; }

    public ClinicStateReader Reader { get; }

    public ClinicWatchers Watchers { get; }

    public ClinicQueueClient Queue { get; }

    public ClinicDirectory Directory { get; }

    public FloodLimiters Limits { get; }

    public Mock<DurableEntityClient> Entities { get; }

    public Mock<DurableTaskClient> Client { get; }

    /// <summary>False: signals are accepted but the entity never runs them, as when the engine stalls.</summary>
    public bool AppliesSignals { get; set; } = true;

    /// <summary>Thrown by every call while set, as when storage is unreachable.</summary>
    public Exception? Outage { get; set; }

    public List<(string Clinic, string Operation)> Signals { get; } = [];

    public ClinicQueueState StateOf(string clinic) => HarnessFor(clinic).State;

    public EntityHarness HarnessFor(string clinic)
    {
        if (!clinics.TryGetValue(clinic, out var harness))
        {
            harness = new EntityHarness(clinic, pins);
            clinics[clinic] = harness;
        }

        return harness;
    }

    private void ThrowIfDown()
    {
        if (Outage is not null)
        {
            throw Outage;
        }
    }
}
