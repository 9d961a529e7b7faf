using System.Diagnostics;
using Microsoft.DurableTask.Entities;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using QueueFunctions.Tests.Support.Engine.Sample;
using Xunit.Abstractions;


namespace QueueFunctions.Tests.Integration.LocalHost;

/// <summary>
/// Figures for the report, measured on the engine client (no HTTP): signal -> readable state latency, and the rate
/// at which one entity applies 1,000 concurrent signals. Also a correctness check: each signal applied exactly once.
/// The figures go to the test output and to engine-figures.txt in the test output folder.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class EngineThroughputTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task MeasureSignalLatencyAndOneEntityThroughput()
    {
        await using LocalQueueHost host = await azurite.StartHostAsync(AzuriteFixture.NewTaskHubName());
        var entities = host.Client.Entities;

        // Latency: one signal, then read until it shows. Sequential, 20 samples after a warm-up.
        var latency = new EntityInstanceId(TallyEntity.Name, "latency");
        var samples = new List<double>();
        for (int i = 0; i <= 20; i++)
        {
            var clock = Stopwatch.StartNew();
            await entities.SignalEntityAsync(latency, nameof(TallyEntity.Add), $"l-{i}");
            await Eventually.UntilAsync(
                () => entities.GetEntityAsync<TallyState>(latency),
                e => e?.State.Count == i + 1,
                TimeSpan.FromSeconds(60),
                $"latency sample {i}",
                TimeSpan.FromMilliseconds(5));
            if (i > 0)
            {
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        double p50 = samples[samples.Count / 2], p90 = samples[(int)(samples.Count * 0.9)];

        // Throughput: 1,000 concurrent signals to one entity, from the first send until all are applied.
        const int n = 1000;
        var burst = new EntityInstanceId(TallyEntity.Name, "throughput");
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(1, n).Select(i => entities.SignalEntityAsync(burst, nameof(TallyEntity.Add), $"t-{i}")));
        double sentMs = total.Elapsed.TotalMilliseconds;
        TallyState state = (await Eventually.UntilAsync(
            () => entities.GetEntityAsync<TallyState>(burst),
            e => e?.State.Count >= n,
            TimeSpan.FromSeconds(180),
            "1,000 signals to be applied",
            TimeSpan.FromMilliseconds(20)))!.State;
        double allMs = total.Elapsed.TotalMilliseconds;

        Assert.Equal(n, state.Count);
        Assert.Equal(0, state.Duplicates);
        Assert.Equal(n, state.Ids.Distinct().Count());

        string report =
            $"signal -> readable state: p50 {p50:0} ms, p90 {p90:0} ms (20 samples)\n" +
            $"1,000 concurrent signals to one entity: sent in {sentMs:0} ms, all applied after {allMs:0} ms = {n / (allMs / 1000):0} signals/s\n";
        output.WriteLine(report);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "engine-figures.txt"), report);
    }
}
