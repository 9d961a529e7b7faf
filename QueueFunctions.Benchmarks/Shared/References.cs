namespace QueueFunctions.Benchmarks.Shared;

/// <summary>The reference figures of docs (DESIGN.md "Reference figures") next to this run's.</summary>
public static class References
{
    const string Section = "Compared with the reference figures (DESIGN.md)";

    public static void Add(Report report)
    {
        string Or(double? value, string format, string unit) => value is { } v ? Measure.Inv($"{v.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} {unit}") : "not measured";

        report.Add(Section, "Cloudflare Durable Object: ~1,000 req/s/object",
            "(a) " + Or(Figures.HttpEnterPerEntity, "0.0", "enters/s/entity"),
            "soft limit per object vs enters confirmed per clinic entity in the burst");
        report.Add(Section, "Durable Entities (Azure Storage): 64 ops/s/entity",
            "(b, best wait) " + Or(Figures.OrchestrationEnterPerEntity, "0.0", "enters/s/entity"),
            "documented on a small VM; here each enter is also 1 orchestration + 1 entity call");
        report.Add(Section, "HTTP -> orchestration -> entity: ~600 ms",
            $"(b, best wait) {Or(Figures.OrchestrationSequentialP50, "0", "ms")}, (a) {Or(Figures.HttpSequentialP50, "0", "ms")}",
            "p50 one at a time on a warm host (reference: Azure, with 10-20 s spikes after scale-out)");
        report.Add(Section, "Old system: one storage read per stream per 5 s",
            Figures.OpenStreams is { } streams ? Measure.Inv($"would be {streams / 5.0:0} reads/s; measured {Or(Figures.IdleReadsPerSecond, "0.0", "reads/s")}") : "not measured",
            "entity reads with every stream open and nothing changing");
        if (Figures.PushP50 is { } push)
        {
            report.Add(Section, "API: pushed within about 1 s", Measure.Inv($"p50 {push:0} ms"), "first observable -> stream, all clinics");
        }

    }
}
