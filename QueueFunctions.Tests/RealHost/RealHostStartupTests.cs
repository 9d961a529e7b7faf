using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using QueueFunctions.History;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.RealHost;

/// <summary>The published app on the Azure Functions host: it starts, every function is indexed, the timers run.</summary>
[Collection(RealHostCollection.Name)]
public sealed partial class RealHostStartupTests(RealHostFixture fixture, ITestOutputHelper output)
{
    [RealHostFact]
    public async Task The_host_is_running_without_errors_and_indexes_every_function_the_code_declares()
    {
        using HttpClient http = fixture.Host.NewHttp();
        RealHostHttp.Reply status = await http.GetReplyAsync("admin/host/status", FunctionsHostInstance.MasterKey);
        Assert.Equal(200, status.Status);
        Assert.Equal("Running", status.Body.GetProperty("state").GetString());
        Assert.False(status.Body.TryGetProperty("errors", out JsonElement errors), "Host errors: " + errors);

        string[] declared = typeof(ClinicQueueEntity).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] indexed = IndexedFunctions().Match(fixture.Host.Log()) is { Success: true } found
            ? found.Groups["name"].Captures.Select(c => c.Value).Order(StringComparer.Ordinal).ToArray()
            : [];
        output.WriteLine($"{declared.Length} functions declared, {indexed.Length} indexed by the host: {string.Join(", ", indexed)}");
        Assert.True(declared.Length > 20, "The reflection found too few functions: " + string.Join(", ", declared));
        Assert.Equal(declared, indexed);
    }

    [RealHostFact]
    public async Task Every_timer_runs_when_the_host_is_asked_to_and_on_the_schedule_its_app_setting_gives()
    {
        using HttpClient http = fixture.Host.NewHttp();
        foreach (string timer in new[] { CleanUpHistoryFunction.Name, PurgeFinishedOrchestrationsFunction.Name, ReplayPoisonQueueEventsFunction.Name })
        {
            var asked = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/functions/{timer}")
            {
                Content = new StringContent("""{"input":""}""", System.Text.Encoding.UTF8, "application/json"),
            };
            RealHostHttp.Reply reply = await http.SendReplyAsync(request, FunctionsHostInstance.MasterKey);
            Assert.Equal(202, reply.Status);

            await Eventually.TrueAsync(
                () => Runs(timer).Any(r => r.Reason.StartsWith("This function was programmatically called", StringComparison.Ordinal) && r.Result == "Succeeded"),
                TimeSpan.FromSeconds(30),
                $"{timer} did not run successfully when asked through /admin/functions. Runs: {string.Join("; ", Runs(timer))}");
            output.WriteLine($"{timer}: ran on request in {asked.ElapsedMilliseconds} ms");

            // The fixture's host runs every timer each 10 s through Queue:PurgeSchedule, History:CleanUpSchedule and
            // History:PoisonReplaySchedule.
            await Eventually.TrueAsync(
                () => Runs(timer).Any(r => r.Reason.StartsWith("Timer fired at", StringComparison.Ordinal) && r.Result == "Succeeded"),
                TimeSpan.FromSeconds(40),
                $"{timer} did not run on its schedule. Runs: {string.Join("; ", Runs(timer))}");
            output.WriteLine($"{timer}: {Runs(timer).Count(r => r.Reason.StartsWith("Timer fired", StringComparison.Ordinal))} scheduled runs so far");
        }

        Assert.DoesNotContain(HostLogEntries.Parse(fixture.Host.Log()), e => e.Level is "fail" && e.Category.StartsWith("Function.", StringComparison.Ordinal)
            && (e.Category.Contains("Clean", StringComparison.Ordinal) || e.Category.Contains("Poison", StringComparison.Ordinal)));
    }

    /// <summary>Each invocation of <paramref name="function"/> in the host's log: why it started and how it ended.</summary>
    IReadOnlyList<(string Reason, string Result)> Runs(string function)
    {
        string log = fixture.Host.Log();
        var results = Executed().Matches(log).Where(m => m.Groups["name"].Value == function)
            .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["result"].Value);
        return Executing().Matches(log).Where(m => m.Groups["name"].Value == function)
            .Select(m => (m.Groups["reason"].Value, results.GetValueOrDefault(m.Groups["id"].Value, "running")))
            .ToList();
    }

    [GeneratedRegex(@"Found the following functions:\s*(?:Host\.Functions\.(?<name>\w+)\s*)+")]
    private static partial Regex IndexedFunctions();

    [GeneratedRegex(@"Executing 'Functions\.(?<name>\w+)' \(Reason='(?<reason>[^']*)', Id=(?<id>[0-9a-f-]+)\)")]
    private static partial Regex Executing();

    [GeneratedRegex(@"Executed 'Functions\.(?<name>\w+)' \((?<result>\w+), Id=(?<id>[0-9a-f-]+)")]
    private static partial Regex Executed();
}
