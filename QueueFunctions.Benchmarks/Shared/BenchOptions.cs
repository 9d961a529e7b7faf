using System.Globalization;

namespace QueueFunctions.Benchmarks.Shared;

/// <summary>Command line of the benchmark. Every figure that bounds a loop lives here.</summary>
public sealed class BenchOptions
{
    public string Scenario { get; private set; } = "all";

    /// <summary>Streams on the one busy clinic (lab).</summary>
    public int Streams { get; private set; } = 2000;

    /// <summary>Streams on each of the 16 default clinics, on top of <see cref="Streams"/>.</summary>
    public int StreamsPerClinic { get; private set; } = 10;

    /// <summary>Length of the measured enter/done flow of the streams scenario.</summary>
    public int Seconds { get; private set; } = 60;

    public double EntersPerSecond { get; private set; } = 5;

    public double DonesPerSecond { get; private set; } = 2;

    /// <summary>Size of the concurrent enter burst of the enter scenario.</summary>
    public int Enters { get; private set; } = 1000;

    public int EnterClinics { get; private set; } = 5;

    public bool Quick { get; private set; }

    /// <summary>Length of each load case (scenario 3).</summary>
    public int LoadSeconds { get; private set; } = 30;

    /// <summary>Requests after which a load case stops even before <see cref="LoadSeconds"/>; 0: by time only.</summary>
    public int LoadCount { get; private set; }

    /// <summary>Tickets the clinic has already issued today in the "already issued" load cases.</summary>
    public int Prefill { get; private set; } = 5000;

    /// <summary>Clients of the 16-clinic load case.</summary>
    public int WideClients { get; private set; } = 1600;

    /// <summary>Clients of the multi-instance cases (16 clinics, spread over the instances).</summary>
    public int InstanceClients { get; private set; } = 200;

    /// <summary>How long to wait, after killing an instance, for its clinics to answer again.</summary>
    public int TakeoverSeconds { get; private set; } = 120;

    /// <summary>Where the latency plot goes; null: docs/benchmark-latency.png in the repository.</summary>
    public string? PlotPath { get; private set; }

    /// <summary>Back-to-back enters per case of the stages scenario (scenario 4); its spaced cases run a tenth of them.</summary>
    public int StageEnters { get; private set; } = 200;

    /// <summary>Where the stages scenario writes the raw timeline of each case's first and last enters; null: not written.</summary>
    public string? StageTracePath { get; private set; }

    public bool RunStreams => Scenario is "all" or "streams";

    public bool RunEnter => Scenario is "all" or "enter";

    public bool RunLoad => Scenario is "all" or "load";

    /// <summary>Scenario 3's one-instance signal + watcher cases alone: one clinic against sixteen, and a full clinic.</summary>
    public bool RunRush => RunLoad || Scenario is "rush";

    /// <summary>Not part of "all": a day's pace on two instances, their idle cost and the first request after a silence.</summary>
    public bool RunDay => Scenario is "day";

    /// <summary>Where scenario 6 runs the app: "local" (the local host) or "real" (the Azure Functions host).</summary>
    public string DayHost { get; private set; } = "local";

    /// <summary>Partitions (control queues) of scenario 6's task hub, one run of it per value, side by side; empty: host.json's.</summary>
    public IReadOnlyList<int> DayPartitions { get; private set; } = [];

    /// <summary>Length of the day's pace (scenario 6).</summary>
    public int DaySeconds { get; private set; } = 120;

    public double DayEntersPerSecond { get; private set; } = 10;

    public double DayDonesPerSecond { get; private set; } = 4;

    /// <summary>How long the idle instances are measured before the silence ends.</summary>
    public int IdleSeconds { get; private set; } = 60;

    /// <summary>Silence before the first requests of scenario 6 (the idle measure is its first part).</summary>
    public int SilenceSeconds { get; private set; } = 600;

    /// <summary>Not part of "all": it re-explains scenario 3's one-client figures and needs a machine of its own for a few minutes.</summary>
    public bool RunStages => Scenario is "stages";

    /// <summary>Not part of "all": it needs an earlier build (<see cref="BaselinePath"/>).</summary>
    public bool RunBaseline => Scenario is "baseline";

    /// <summary>An earlier build's QueueFunctions.LocalHost.dll, for scenario 5.</summary>
    public string? BaselinePath { get; private set; }

    /// <summary>How the tables name that build.</summary>
    public string BaselineLabel { get; private set; } = "earlier build";

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project QueueFunctions.Benchmarks -- [options]
          --scenario streams|enter|load|rush|stages|baseline|day|all  which scenarios to run (default all;
                                         rush, stages, baseline and day only when named)
          --streams N                    event streams on clinic 'lab' (default 2000)
          --streams-per-clinic N         extra streams on each of the 16 clinics (default 10)
          --seconds N                    length of the enter/done flow while streams are open (default 60, at most 420)
          --enter-rate R                 enters per second during the flow (default 5)
          --done-rate R                  dones per second during the flow (default 2)
          --enters N                     size of the concurrent enter burst (default 1000)
          --load-seconds N               length of each load case (default 30)
          --load-count N                 also stop a load case after N requests (default 0: by time only)
          --prefill N                    tickets already issued in the "already issued" load cases (default 5000)
          --wide-clients N               most clients of the 16-clinic load cases (default 1600; also 16 and 100)
          --instance-clients N           clients of the multi-instance load cases (default 200)
          --takeover-seconds N           longest wait for a killed instance's clinics to answer again (default 120)
          --stage-enters N               back-to-back enters per case of the stages scenario (default 200; spaced: a tenth)
          --stage-trace PATH             write the stages scenario's raw timeline of each case's first and last enters to PATH
          --baseline PATH                an earlier build's QueueFunctions.LocalHost.dll (scenario baseline)
          --baseline-label TEXT          how the tables name that build (default "earlier build")
          --day-seconds N                length of the day's pace, scenario 6 (default 120)
          --day-partitions N[,N...]      partitions of its task hub, one run of the scenario per count (default: host.json's)
          --day-host local|real          scenario 6 on the local host or on the Azure Functions host (../shared/funchost)
          --day-enter-rate R / --day-done-rate R  the pace (default 10 and 4 per second over 8 clinics)
          --idle-seconds N               idle measure of scenario 6 (default 60)
          --silence-seconds N            silence before its first requests, idle measure included (default 600)
          --plot PATH                    latency plot (PNG) of the load cases (default docs/benchmark-latency.png)
          --quick                        smoke run: 100 streams, 10 s, 100 enters; load cases of 5 s, prefill 1000,
                                         32 clients on 16 clinics and per multi-instance case (later options still apply)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        if (args.Contains("--quick"))
        {
            options.UseQuickSizes();
        }

        var arguments = new Arguments(args);
        while (arguments.MoveNext())
        {
            if (arguments.Name is "-h" or "--help")
            {
                throw new ArgumentException("help");
            }

            var set = Setters.GetValueOrDefault(arguments.Name) ?? throw new ArgumentException($"Unknown option '{arguments.Name}'.");
            set(options, arguments);
        }

        if (options.RunBaseline && options.BaselinePath is null)
        {
            throw new ArgumentException("--scenario baseline needs --baseline PATH (an earlier build's QueueFunctions.LocalHost.dll).");
        }

        return options;
    }

    /// <summary>The smoke run's sizes; options given after <c>--quick</c>, or before it, still apply over them.</summary>
    void UseQuickSizes()
    {
        Quick = true;
        Streams = 100;
        Seconds = 10;
        Enters = 100;
        LoadSeconds = 5;
        Prefill = 1000;
        WideClients = 32;
        InstanceClients = 32;
        DaySeconds = 20;
        IdleSeconds = 10;
        SilenceSeconds = 20;
    }

    static readonly Dictionary<string, Action<BenchOptions, Arguments>> Setters = new()
    {
        ["--quick"] = (_, _) => { },
        ["--scenario"] = (o, a) => o.Scenario = KnownScenario(a.Next()),
        ["--streams"] = (o, a) => o.Streams = a.Int(0, 20000),
        ["--streams-per-clinic"] = (o, a) => o.StreamsPerClinic = a.Int(0, 1000),
        // Streams must outlive the run (Queue:StreamMinutes is at most 9), so the flow is capped at 7 minutes.
        ["--seconds"] = (o, a) => o.Seconds = a.Int(1, 420),
        ["--enter-rate"] = (o, a) => o.EntersPerSecond = a.Rate(),
        ["--done-rate"] = (o, a) => o.DonesPerSecond = a.Rate(),
        ["--enters"] = (o, a) => o.Enters = a.Int(1, 20000),
        ["--load-seconds"] = (o, a) => o.LoadSeconds = a.Int(1, 3600),
        ["--load-count"] = (o, a) => o.LoadCount = a.Int(0, 10_000_000),
        ["--prefill"] = (o, a) => o.Prefill = a.Int(1, 50_000),
        ["--wide-clients"] = (o, a) => o.WideClients = a.Int(1, 5000),
        ["--instance-clients"] = (o, a) => o.InstanceClients = a.Int(1, 5000),
        ["--takeover-seconds"] = (o, a) => o.TakeoverSeconds = a.Int(5, 900),
        ["--stage-enters"] = (o, a) => o.StageEnters = a.Int(10, 5000),
        ["--stage-trace"] = (o, a) => o.StageTracePath = a.Next(),
        ["--baseline"] = (o, a) => o.BaselinePath = a.Next(),
        ["--baseline-label"] = (o, a) => o.BaselineLabel = a.Next(),
        ["--plot"] = (o, a) => o.PlotPath = a.Next(),
        ["--day-host"] = (o, a) => o.DayHost = a.Next() is var host && host is "local" or "real" ? host : throw new ArgumentException("--day-host must be local or real."),
        ["--day-partitions"] = (o, a) => o.DayPartitions = [.. a.Next().Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture) is var n and >= 1 and <= 16 ? n : throw new ArgumentException("--day-partitions takes counts of 1..16, e.g. 4,1."))],
        ["--day-seconds"] = (o, a) => o.DaySeconds = a.Int(5, 3600),
        ["--day-enter-rate"] = (o, a) => o.DayEntersPerSecond = a.Rate(),
        ["--day-done-rate"] = (o, a) => o.DayDonesPerSecond = a.Rate(),
        ["--idle-seconds"] = (o, a) => o.IdleSeconds = a.Int(5, 3600),
        ["--silence-seconds"] = (o, a) => o.SilenceSeconds = a.Int(5, 7200),
    };

    static string KnownScenario(string scenario) =>
        scenario is "streams" or "enter" or "load" or "rush" or "stages" or "baseline" or "day" or "all"
            ? scenario
            : throw new ArgumentException($"Unknown scenario '{scenario}'.");

    /// <summary>The command line, one option at a time; an option's value is read by its setter.</summary>
    sealed class Arguments(string[] args)
    {
        int i = -1;

        public string Name => args[i];

        public bool MoveNext() => ++i < args.Length;

        public string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");

        public int Int(int min, int max)
        {
            var name = Name;
            var value = int.Parse(Next(), CultureInfo.InvariantCulture);
            return value >= min && value <= max ? value : throw new ArgumentException($"{name} must be {min}..{max}.");
        }

        public double Rate()
        {
            var name = Name;
            var value = double.Parse(Next(), CultureInfo.InvariantCulture);
            return value is > 0 and <= 200 ? value : throw new ArgumentException($"{name} must be above 0 and at most 200.");
        }
    }

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture,
            $"scenario={Scenario} streams={Streams}+{StreamsPerClinic}x16 seconds={Seconds} enter-rate={EntersPerSecond}/s done-rate={DonesPerSecond}/s enters={Enters} " +
            $"load-seconds={LoadSeconds} load-count={LoadCount} prefill={Prefill} wide-clients={WideClients} instance-clients={InstanceClients} " +
            $"takeover-seconds={TakeoverSeconds} stage-enters={StageEnters} day={DaySeconds}s@{DayEntersPerSecond}+{DayDonesPerSecond}/s idle={IdleSeconds}s silence={SilenceSeconds}s{(Quick ? " (quick)" : "")}");
}
