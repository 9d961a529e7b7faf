using QueueFunctions.Benchmarks.Shared;

namespace QueueFunctions.Benchmarks.Streams;

/// <summary>The streams opened: how long it took, how many got their first state, and the app's entity reads before and after.</summary>
sealed record OpeningPhase(double Seconds, int Opened, long ReadsBefore, long ReadsAfter);

/// <summary>Streams open and nothing changing: the app's entity reads at its end, the process and the connections.</summary>
sealed record IdlePhase(long ReadsAfter, ProcessSnapshot Process, (int ServerSide, int ClientSide) Connections);

/// <summary>The enter/done flow: its requests, how long it ran, the reads and CPU around it, and each clinic's version before it.</summary>
sealed record FlowPhase(
    EnterDoneFlow Flow,
    double Seconds,
    long ReadsBefore,
    long ReadsAfter,
    ProcessSnapshot CpuStart,
    ProcessSnapshot CpuEnd,
    Dictionary<string, long> VersionsAtStart);

/// <summary>After the flow: the reads, the process, the connections and the streams still open, and each clinic's final version.</summary>
sealed record DrainPhase(
    long ReadsAfter,
    ProcessSnapshot Process,
    (int ServerSide, int ClientSide) Connections,
    int StillOpen,
    Dictionary<string, long> FinalVersions);
