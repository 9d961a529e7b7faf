using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace QueueFunctions.Tests.Support.Engine.Sample;

/// <summary>State of the sample entity: every applied operation id, so a double or lost apply is visible.</summary>
public sealed class TallyState
{
    public int Count { get; set; }

    public List<string> Ids { get; set; } = [];

    public int Duplicates { get; set; }

    public DateTimeOffset? LastChangedAt { get; set; }

    public string? Label { get; set; }
}

public sealed class SampleOptions
{
    public string Label { get; set; } = "unset";
}

/// <summary>A counter-like sample entity written the way the app writes its own: constructor DI and its own dispatcher function.</summary>
public sealed class TallyEntity(IOptions<SampleOptions> options, TimeProvider time, ILogger<TallyEntity> logger) : TaskEntity<TallyState>
{
    public const string Name = "Tally";

    public void Add(string id)
    {
        if (State.Ids.Contains(id))
        {
            State.Duplicates++;
            logger.LogWarning("Operation {Id} applied twice.", id);
        }
        else
        {
            State.Ids.Add(id);
        }

        State.Count++;
        State.LastChangedAt = time.GetUtcNow();
        State.Label = options.Value.Label;
    }

    public void Reset() => State = new TallyState { LastChangedAt = time.GetUtcNow(), Label = options.Value.Label };

    public TallyState Get() => State;

    protected override TallyState InitializeState(TaskEntityOperation entityOperation) => new();

    [Function(Name)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<TallyEntity>();
}
