using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QueueFunctions.History;
using QueueFunctions.LocalHost.CommandLine;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.LocalHost.Http;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Queueing;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Integration.Security;

/// <summary>
/// A whole working day in miniature on the local host and Azurite, with every log entry of every category kept down to
/// trace level: neither the day's PIN, nor a function key, nor the storage account key may show up in any log line,
/// any response body (bar pin/status's own, which is how staff get the PIN) or any queue-events message.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SecretLeakEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<(string What, string Text)> answers = [];

    [Fact]
    public async Task No_secret_reaches_a_log_a_reply_or_an_event()
    {
        var clinic = "leak-" + Guid.NewGuid().ToString("N")[..8];
        var logs = new CapturedLogs(LogLevel.Trace);
        var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), logs: logs, settings: new Dictionary<string, string?>
        {
            ["Queue:Clinics"] = "",
            // Nine digits, so finding the PIN in a log is finding the PIN, not a port number or a year.
            ["Queue:PinDigits"] = "9",
            [$"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled"] = "true",
        });
        string pin;
        string pinStatusAnswer;
        await using (host)
        {
            using var http = host.NewHttp();
            const string key = AzuriteFixture.TestFunctionKey;

            foreach (var user in new[] { "A", "B", "C" })
            {
                await ExpectAsync(http, 200, "enter " + user, HttpMethod.Post, "api/v1/queue/enter", new { clinic, user });
            }

            await ExpectAsync(http, 200, "status", HttpMethod.Get, $"api/v1/queue/status?clinic={clinic}&user=B");
            var pins = await SendAsync(http, HttpMethod.Get, "api/v1/pin/status", header: key);
            Assert.Equal(200, pins.Status);
            pinStatusAnswer = pins.Text;
            pin = JsonDocument.Parse(pins.Text).RootElement.GetProperty("pins").GetProperty(clinic).GetString()!;
            Assert.Equal(9, pin.Length);

            var stream = await SseClient.ConnectAsync(http, $"api/v1/events/stream?clinic={clinic}&user=B");
            await stream.WaitForAsync(e => e.Data is not null && e.Type != "CONNECTED", Deadline, "the stream's first state");

            var wrongPin = pin[..^1] + (pin[^1] == '0' ? '1' : '0');
            await ExpectAsync(http, 403, "done with a wrong PIN", HttpMethod.Post, "api/v1/queue/done", new { clinic, user = "B", pin = wrongPin });
            await ExpectAsync(http, 200, "done with the PIN", HttpMethod.Post, "api/v1/queue/done", new { clinic, user = "B", pin });
            await stream.WaitForAsync(e => e.Type == "STEP_DONE_NEXT", Deadline, "the stream to show the done");
            await ExpectAsync(http, 200, "call", HttpMethod.Post, "api/v1/queue/call", new { clinic }, header: key);
            await ExpectAsync(http, 200, "report with the key as code", HttpMethod.Get, $"api/v1/reports/daily?clinic={clinic}", code: key);
            await ExpectAsync(http, 200, "report as CSV", HttpMethod.Get, $"api/v1/reports/daily?clinic={clinic}&format=csv", header: key);
            await ExpectAsync(http, 200, "tickets", HttpMethod.Get, $"api/v1/queue/tickets?clinic={clinic}", header: AzuriteFixture.TestMasterKey);

            // Refused and malformed requests, several of them carrying a secret in the wrong place.
            await ExpectAsync(http, 401, "call without a key", HttpMethod.Post, "api/v1/queue/call", new { clinic });
            await ExpectAsync(http, 401, "pin/status with a wrong key", HttpMethod.Get, "api/v1/pin/status", header: key + "x");
            await ExpectAsync(http, 400, "a PIN one digit too long", HttpMethod.Post, "api/v1/queue/done", new { clinic, user = "C", pin = pin + "1" });
            await ExpectAsync(http, 400, "a PIN as a number", HttpMethod.Post, "api/v1/queue/done", JsonSerializer.Deserialize<JsonElement>($$"""{"clinic":"{{clinic}}","user":"C","pin":{{int.Parse(pin, System.Globalization.CultureInfo.InvariantCulture)}}}"""));
            await ExpectAsync(http, 400, "a PIN in broken JSON", HttpMethod.Post, "api/v1/queue/done", raw: $$"""{"clinic":"{{clinic}}","user":"C","pin":"{{pin}}" """);
            await ExpectAsync(http, 400, "done without a user", HttpMethod.Post, "api/v1/queue/done", new { clinic, pin });
            await ExpectAsync(http, 404, "done by nobody in the queue", HttpMethod.Post, "api/v1/queue/done", new { clinic, user = "NOBODY", pin });
            await ExpectAsync(http, 400, "a clinic id that is not one", HttpMethod.Post, "api/v1/queue/call", new { clinic = "Not A Clinic!" }, header: key);
            await ExpectAsync(http, 400, "a report of a bad date", HttpMethod.Get, "api/v1/reports/daily?date=yesterday", header: key);
            await ExpectAsync(http, 400, "a stream without a clinic", HttpMethod.Get, "api/v1/events/stream", code: key);

            // A request body that breaks off in a malformed chunk, after the part that carries the PIN: the server's
            // read fails inside the function, and what it logs and answers about that failure is searched too.
            var brokenDone = await SendBrokenBodyAsync(host.BaseAddress, "api/v1/queue/done", null, $$"""{"clinic":"{{clinic}}","user":"C","pin":"{{pin}}"}""");
            var brokenCall = await SendBrokenBodyAsync(host.BaseAddress, "api/v1/queue/call", key, $$"""{"clinic":"{{clinic}}"}""");
            Assert.StartsWith("HTTP/1.1 400", brokenDone, StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 400", brokenCall, StringComparison.Ordinal);
            answers.Add(("done with a broken body", brokenDone));
            answers.Add(("call with a broken body", brokenCall));

            // B's ticket is finished, so B is still answered with it after the reset: the reset shows as a new version.
            var beforeReset = stream.Events.Where(e => e.Id is not null).Max(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture));
            await ExpectAsync(http, 200, "reset with the key as code", HttpMethod.Post, "api/v1/queue/reset", new { clinic }, code: key);
            await stream.WaitForAsync(
                e => e.Id is not null && long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture) > beforeReset && e.Type == "STEP_DONE_NEXT",
                Deadline,
                "the stream to show the reset");
            answers.Add(("the event stream", stream.Raw));
            await stream.DisposeAsync();

            var events = await ReceiveEventsAsync(clinic, expected: ["TICKET_ISSUED", "TICKET_DONE", "TICKET_NO_SHOW", "QUEUE_RESET"]);
            answers.AddRange(events.Select(e => ("queue-events message", e)));

            // Nothing of the clinic stays in the instance's memory once nobody follows it.
            await Eventually.TrueAsync(
                () => host.Services.GetRequiredService<ClinicWatchers>().Count == 0 && host.Services.GetRequiredService<ClinicQueueClient>().ClinicsEntering == 0,
                Deadline,
                "the clinic's watcher and coalescer to be released");
        }

        var secrets = new Dictionary<string, string>
        {
            ["the day's PIN"] = pin,
            ["the function key"] = AzuriteFixture.TestFunctionKey,
            ["the master key"] = AzuriteFixture.TestMasterKey,
            ["the storage account key"] = AzuriteProcess.DevAccountKey,
            ["the storage account key, URL-encoded"] = Uri.EscapeDataString(AzuriteProcess.DevAccountKey),
        };
        var logLines = logs.Entries.Select(e => ($"log {e.Level} {e.Category}", $"{e.Message} {e.Exception}"))
            .Concat(logs.Scopes.Select(s => ("log scope", s)))
            .ToList();
        output.WriteLine($"Searched {logLines.Count} log entries ({logLines.Select(l => l.Item1).Distinct().Count()} level/category pairs), " +
                         $"{answers.Count} replies, stream text and events.");
        Assert.True(logLines.Count > 100, $"Only {logLines.Count} log entries were captured: the capture is not seeing the host's logs.");

        var found = (from source in logLines.Concat(answers)
                     from secret in secrets
                     where source.Item2.Contains(secret.Value, StringComparison.Ordinal)
                     select $"{secret.Key} in {source.Item1}: {Shorten(source.Item2)}").ToList();

        // pin/status is where staff read the PIN, so only the keys are looked for in its answer.
        found.AddRange(secrets.Where(s => !s.Key.Contains("PIN", StringComparison.Ordinal) && pinStatusAnswer.Contains(s.Value, StringComparison.Ordinal))
            .Select(s => $"{s.Key} in the pin/status answer"));
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    [Fact]
    public async Task An_instance_started_as_a_process_carries_no_secret_on_its_command_line()
    {
        // The development machines and CI are Linux; /proc is where another user would look.
        Assert.True(OperatingSystem.IsLinux(), "This test reads /proc.");
        await using var instance = await LocalHostProcess.StartAsync(
            new Dictionary<string, string?>
            {
                [LocalHostConfigKeys.StorageConnectionString] = azurite.ConnectionString,
                [LocalHostConfigKeys.TaskHub] = AzuriteFixture.NewTaskHubName(),
                [LocalHostConfigKeys.FunctionKey] = AzuriteFixture.TestFunctionKey,
                [LocalHostConfigKeys.MasterKey] = AzuriteFixture.TestMasterKey,
                [$"AzureWebJobs.{RecordQueueEventFunction.Name}.Disabled"] = "true",
            },
            TimeSpan.FromSeconds(90));

        // Any user of the machine can read this file; a process's environment only its owner.
        var commandLine = (await File.ReadAllTextAsync($"/proc/{instance.Id}/cmdline")).Replace('\0', ' ');
        Assert.Contains("QueueFunctions.LocalHost.dll", commandLine);
        foreach (var secret in new[] { AzuriteFixture.TestFunctionKey, AzuriteFixture.TestMasterKey, AzuriteProcess.DevAccountKey })
        {
            Assert.DoesNotContain(secret, commandLine);
        }

        // The settings did arrive: the key opens a staff endpoint.
        using var http = new HttpClient { BaseAddress = instance.BaseAddress };
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Get, "api/v1/pin/status", header: AzuriteFixture.TestMasterKey)).Status);
    }

    private async Task ExpectAsync(
        HttpClient http, int status, string what, HttpMethod method, string path, object? body = null, string? header = null, string? code = null, string? raw = null)
    {
        var (got, text) = await SendAsync(http, method, path, body, header, code, raw);
        answers.Add((what, text));
        Assert.True(got == status, $"{what}: {got} {text}");
    }

    private static async Task<(int Status, string Text)> SendAsync(
        HttpClient http, HttpMethod method, string path, object? body = null, string? header = null, string? code = null, string? raw = null)
    {
        var target = code is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}code={Uri.EscapeDataString(code)}";
        using var request = new HttpRequestMessage(method, target);
        request.Content = raw is not null ? new StringContent(raw, Encoding.UTF8, "application/json") : body is null ? null : JsonContent.Create(body);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(FunctionKeys.HeaderName, header);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A chunked request whose first chunk is sent whole and whose second has a size that is not hex.</summary>
    private static async Task<string> SendBrokenBodyAsync(Uri address, string path, string? key, string json)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var network = tcp.GetStream();
        var head = new StringBuilder()
            .Append($"POST /{path} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");
        if (key is not null)
        {
            head.Append($"{FunctionKeys.HeaderName}: {key}\r\n");
        }

        var chunk = Encoding.UTF8.GetBytes(json);
        head.Append($"\r\n{chunk.Length:x}\r\n");
        await network.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await network.WriteAsync(chunk);
        await network.WriteAsync(Encoding.ASCII.GetBytes("\r\nzz\r\n"));
        using var reader = new StreamReader(network, Encoding.UTF8);
        var reply = await reader.ReadToEndAsync().WaitAsync(Deadline);
        Assert.Matches(new Regex(@"^HTTP/1\.1 [45]\d\d "), reply);
        return reply;
    }

    /// <summary>Every queue-events message of the clinic, once each expected type has arrived.</summary>
    private async Task<List<string>> ReceiveEventsAsync(string clinic, string[] expected)
    {
        var queue = new QueueClient(azurite.ConnectionString, QueueEventsQueue.Name);
        var mine = new List<string>();
        await Eventually.TrueAsync(
            async () =>
            {
                if ((await queue.ExistsAsync()).Value)
                {
                    foreach (var message in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value)
                    {
                        if (JsonDocument.Parse(message.MessageText).RootElement.GetProperty("clinic").GetString() == clinic)
                        {
                            mine.Add(message.MessageText);
                            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                        }
                    }
                }

                var types = mine.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("type").GetString()).ToHashSet();
                return expected.All(types.Contains);
            },
            Deadline,
            "every kind of queue event to arrive");
        return mine;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + " ...";
}
