using System.Globalization;

namespace QueueFunctions.Benchmarks;

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

    public bool RunStreams => Scenario is "all" or "streams";

    public bool RunEnter => Scenario is "all" or "enter";

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project QueueFunctions.Benchmarks -- [options]
          --scenario streams|enter|all   which scenarios to run (default all)
          --streams N                    event streams on clinic 'lab' (default 2000)
          --streams-per-clinic N         extra streams on each of the 16 clinics (default 10)
          --seconds N                    length of the enter/done flow while streams are open (default 60, at most 420)
          --enter-rate R                 enters per second during the flow (default 5)
          --done-rate R                  dones per second during the flow (default 2)
          --enters N                     size of the concurrent enter burst (default 1000)
          --quick                        smoke run: 100 streams, 10 s, 100 enters (later options still apply)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        if (args.Contains("--quick"))
        {
            options.Quick = true;
            options.Streams = 100;
            options.Seconds = 10;
            options.Enters = 100;
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min, int max)
            {
                var name = args[i];
                var value = int.Parse(Next(), CultureInfo.InvariantCulture);
                return value >= min && value <= max ? value : throw new ArgumentException($"{name} must be {min}..{max}.");
            }

            double Rate()
            {
                var name = args[i];
                var value = double.Parse(Next(), CultureInfo.InvariantCulture);
                return value is > 0 and <= 200 ? value : throw new ArgumentException($"{name} must be above 0 and at most 200.");
            }

            switch (args[i])
            {
                case "--quick":
                    break;
                case "--scenario":
                    var scenario = Next();
                    options.Scenario = scenario is "streams" or "enter" or "all"
                        ? scenario
                        : throw new ArgumentException($"Unknown scenario '{scenario}'.");
                    break;
                case "--streams":
                    options.Streams = Int(0, 20000);
                    break;
                case "--streams-per-clinic":
                    options.StreamsPerClinic = Int(0, 1000);
                    break;
                case "--seconds":
                    // Streams must outlive the run (Queue:StreamMinutes is at most 9), so the flow is capped at 7 minutes.
                    options.Seconds = Int(1, 420);
                    break;
                case "--enter-rate":
                    options.EntersPerSecond = Rate();
                    break;
                case "--done-rate":
                    options.DonesPerSecond = Rate();
                    break;
                case "--enters":
                    options.Enters = Int(1, 20000);
                    break;
                case "-h" or "--help":
                    throw new ArgumentException("help");
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        return options;
    }

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture,
            $"scenario={Scenario} streams={Streams}+{StreamsPerClinic}x16 seconds={Seconds} enter-rate={EntersPerSecond}/s done-rate={DonesPerSecond}/s enters={Enters}{(Quick ? " (quick)" : "")}");
}
