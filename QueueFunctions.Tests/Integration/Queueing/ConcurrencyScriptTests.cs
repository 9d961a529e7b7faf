using System.Diagnostics;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Queueing;

/// <summary>Runs <c>scripts/concurrency-test.sh</c>, curl and all, against the app on the local host.</summary>
[Collection(EngineCollection.Name)]
public sealed class ConcurrencyScriptTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> AnyClinic = new() { ["Queue:Clinics"] = "" };

    [Theory]
    [InlineData(5)]
    [InlineData(200)]
    public async Task The_curl_script_sees_exactly_1_to_n(int n)
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: AnyClinic);

        var (exitCode, text) = await RunScriptAsync(host, $"burst{n}", n);

        Assert.True(exitCode == 0, text);
        Assert.Contains($"OK: {n} unique numbers, exactly 1..{n}", text);
        Assert.Equal(n, text.Split('\n').Count(line => line.StartsWith("TEST_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_curl_script_fails_when_the_numbers_are_not_1_to_n()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: AnyClinic);
        using var http = host.NewHttp();
        Assert.Equal(200, (await http.EnterAsync("taken", "SOMEONE_ELSE")).Status);

        var (exitCode, text) = await RunScriptAsync(host, "taken", 5);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("FAIL: the numbers are not exactly 1..5", text);
    }

    private async Task<(int ExitCode, string Output)> RunScriptAsync(LocalQueueHost host, string clinic, int n)
    {
        var repo = AzuriteProcess.FindRepositoryRoot() ?? throw new InvalidOperationException("The repository root was not found.");
        var start = new ProcessStartInfo("bash", [Path.Combine(repo, "scripts", "concurrency-test.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["BASE_URL"] = host.BaseAddress.ToString().TrimEnd('/'),
                ["CLINIC"] = clinic,
                ["N"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var text = await stdout + await stderr;
        output.WriteLine(text);
        return (script.ExitCode, text);
    }
}
