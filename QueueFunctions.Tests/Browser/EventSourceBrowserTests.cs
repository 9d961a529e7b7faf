using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Browser;

/// <summary>
/// The event stream as the board's and the patient's pages will read it: Chromium's own <c>EventSource</c>, over real
/// HTTP from the app on the local host (real Durable Task engine and Azurite). The stream's messages are unnamed, so
/// they must arrive through <c>onmessage</c>; <c>lastEventId</c> must be the queue's version; and when the server ends
/// the stream the browser must reconnect by itself and get CONNECTED and the current state again.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class EventSourceBrowserTests(AzuriteFixture azurite)
{
    private const string Clinic = "lab";
    private const string User = "TEST_1";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Board_and_patient_EventSources_get_connected_the_state_and_the_pushed_change_through_onmessage()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await OpenPageOnAsync(chromium, host.BaseAddress);

        await OpenEventSourceAsync(page, "board", $"/api/v1/events/stream?clinic={Clinic}");
        await OpenEventSourceAsync(page, "user", $"/api/v1/events/stream?clinic={Clinic}&user={User}");

        var board = await WaitForAsync(page, "board", m => m.Count >= 2, "CONNECTED and the state on the board's EventSource");
        var user = await WaitForAsync(page, "user", m => m.Count >= 2, "CONNECTED and the state on the patient's EventSource");

        AssertConnected(board[0], expectedUser: null);
        AssertConnected(user[0], expectedUser: User);
        Assert.Equal("", board[0].LastEventId);
        Assert.Equal("QUEUE_UPDATE", board[1].Type);
        Assert.Equal(0, board[1].Data.GetProperty("length").GetInt32());
        Assert.Equal("NOT_IN_QUEUE", user[1].Type);
        long before = VersionOf(board[1]);

        var (status, entered) = await http.EnterAsync(Clinic, User);
        Assert.Equal(200, status);
        Assert.Equal(1, entered.GetProperty("number").GetInt32());
        long version = (await host.StoredStateAsync(Clinic))!.Version;
        Assert.True(version > before, $"entering must move the queue's version on from {before}, it is {version}");

        board = await WaitForAsync(page, "board", m => m.Any(IsBoardWithOne), "a QUEUE_UPDATE with length 1 on the board's EventSource");
        user = await WaitForAsync(page, "user", m => m.Any(x => x.Type == "YOUR_TURN"), "YOUR_TURN on the patient's EventSource");

        var update = board.First(IsBoardWithOne);
        Assert.Equal(Clinic, update.Data.GetProperty("clinic").GetString());
        Assert.Equal(1, update.Data.GetProperty("current").GetInt32());
        Assert.Equal(1, update.Data.GetProperty("waiting").GetInt32());
        Assert.Equal(version.ToString(CultureInfo.InvariantCulture), update.LastEventId);

        var turn = user.First(x => x.Type == "YOUR_TURN");
        Assert.Equal(User, turn.Data.GetProperty("user").GetString());
        Assert.Equal(1, turn.Data.GetProperty("number").GetInt32());
        Assert.Equal(1, turn.Data.GetProperty("current").GetInt32());
        Assert.Equal(0, turn.Data.GetProperty("ahead").GetInt32());
        Assert.Equal("WAITING", turn.Data.GetProperty("status").GetString());
        Assert.Equal(version.ToString(CultureInfo.InvariantCulture), turn.LastEventId);

        // One connection each (no reconnect in this test), and the ids never go back.
        Assert.Equal(1, board.Count(m => m.Type == "CONNECTED"));
        Assert.Equal(1, user.Count(m => m.Type == "CONNECTED"));
        AssertVersionsNeverGoBack(board);
        AssertVersionsNeverGoBack(user);
    }

    [Fact]
    public async Task When_the_server_ends_the_stream_the_browser_reconnects_by_itself_and_gets_connected_and_the_state_again()
    {
        // 0.05 minutes: the server ends each stream after 3 s; the stream's `retry: 3000` brings the browser back.
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(),
            settings: new Dictionary<string, string?> { ["Queue:StreamMinutes"] = "0.05" });
        using var http = host.NewHttp();
        var (status, _) = await http.EnterAsync(Clinic, User);
        Assert.Equal(200, status);
        string version = (await host.StoredStateAsync(Clinic))!.Version.ToString(CultureInfo.InvariantCulture);

        await using var chromium = await Chromium.LaunchAsync();
        var page = await OpenPageOnAsync(chromium, host.BaseAddress);
        var streamRequests = new ConcurrentQueue<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/v1/events/stream", StringComparison.Ordinal))
            {
                streamRequests.Enqueue(request);
            }
        };

        await OpenEventSourceAsync(page, "board", $"/api/v1/events/stream?clinic={Clinic}");
        await OpenEventSourceAsync(page, "user", $"/api/v1/events/stream?clinic={Clinic}&user={User}");

        var board = await WaitForAsync(page, "board", m => StateAfterSecondConnected(m, "QUEUE_UPDATE") is not null,
            "a second CONNECTED, then the state, on the board's EventSource after the server ended the first stream");
        var user = await WaitForAsync(page, "user", m => StateAfterSecondConnected(m, "YOUR_TURN") is not null,
            "a second CONNECTED, then the state, on the patient's EventSource after the server ended the first stream");

        Assert.True(board.Count(m => m.Type == "CONNECTED") >= 2);
        Assert.True(user.Count(m => m.Type == "CONNECTED") >= 2);
        AssertConnected(board[0], expectedUser: null);
        AssertConnected(user[0], expectedUser: User);
        Assert.All(board.Where(m => m.Type == "CONNECTED"), m => AssertConnected(m, expectedUser: null));
        Assert.All(user.Where(m => m.Type == "CONNECTED"), m => AssertConnected(m, expectedUser: User));

        var boardAgain = StateAfterSecondConnected(board, "QUEUE_UPDATE")!;
        Assert.Equal(1, boardAgain.Data.GetProperty("length").GetInt32());
        Assert.Equal(version, boardAgain.LastEventId);
        var userAgain = StateAfterSecondConnected(user, "YOUR_TURN")!;
        Assert.Equal(1, userAgain.Data.GetProperty("number").GetInt32());
        Assert.Equal(version, userAgain.LastEventId);
        AssertVersionsNeverGoBack(board);
        AssertVersionsNeverGoBack(user);

        // The page opened each EventSource once; every further request is the browser's own reconnect,
        // and it tells the server the last id it saw.
        var (opens, _) = await ReadConnectionCountsAsync(page, "board");
        Assert.True(opens >= 2, $"the board's EventSource opened {opens} time(s); a reconnect opens it again");
        var reconnects = streamRequests.Where(r => !r.Url.Contains("&user=", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.NotEmpty(reconnects);
        var headers = await reconnects[0].AllHeadersAsync();
        Assert.True(
            headers.TryGetValue("last-event-id", out var lastEventId),
            "the reconnect carries Last-Event-ID; headers sent: " + string.Join(", ", headers.Keys));
        Assert.Equal(version, lastEventId);
    }

    private static bool IsBoardWithOne(StreamMessage m) => m.Type == "QUEUE_UPDATE" && m.Data.GetProperty("length").GetInt32() == 1;

    /// <summary>The first message of <paramref name="type"/> that follows the second CONNECTED, or null.</summary>
    private static StreamMessage? StateAfterSecondConnected(IReadOnlyList<StreamMessage> messages, string type)
    {
        int connected = 0;
        foreach (var m in messages)
        {
            if (m.Type == "CONNECTED")
            {
                connected++;
            }
            else if (connected >= 2 && m.Type == type)
            {
                return m;
            }
        }

        return null;
    }

    private static void AssertConnected(StreamMessage message, string? expectedUser)
    {
        Assert.Equal("CONNECTED", message.Type);
        Assert.Equal(Clinic, message.Data.GetProperty("clinic").GetString());
        var user = message.Data.GetProperty("user");
        if (expectedUser is null)
        {
            Assert.Equal(JsonValueKind.Null, user.ValueKind);
        }
        else
        {
            Assert.Equal(expectedUser, user.GetString());
        }

        Assert.True(DateTimeOffset.TryParse(message.Data.GetProperty("timestamp").GetString(), CultureInfo.InvariantCulture, out _));
    }

    /// <summary>Every state message carries the queue's version as its id, and the ids never go back.</summary>
    private static void AssertVersionsNeverGoBack(IReadOnlyList<StreamMessage> messages)
    {
        long last = long.MinValue;
        foreach (var m in messages.Where(m => m.Type != "CONNECTED"))
        {
            long version = VersionOf(m);
            Assert.True(version >= last, $"lastEventId went back from {last} to {version}");
            last = version;
        }
    }

    private static long VersionOf(StreamMessage m)
    {
        Assert.True(
            long.TryParse(m.LastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out long version),
            $"a {m.Type} message must carry the queue's version as its id; lastEventId was '{m.LastEventId}'");
        return version;
    }

    private static async Task<IPage> OpenPageOnAsync(Chromium chromium, Uri baseAddress)
    {
        // Any page of the app's origin will do (there are no HTML pages yet): the EventSources are then same-origin.
        var page = await chromium.Browser.NewPageAsync();
        var response = await page.GotoAsync(new Uri(baseAddress, $"api/v1/queue/status?clinic={Clinic}").ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        return page;
    }

    private static Task OpenEventSourceAsync(IPage page, string name, string url) =>
        page.EvaluateAsync(
            """
            ([name, url]) => {
              window.received = window.received || {};
              window.sources = window.sources || {};
              const log = window.received[name] = { messages: [], opens: 0, errors: 0 };
              const source = window.sources[name] = new EventSource(url);
              source.onopen = () => { log.opens++; };
              source.onerror = () => { log.errors++; };
              source.onmessage = event => {
                log.messages.push({ type: event.type, data: event.data, lastEventId: event.lastEventId });
              };
            }
            """,
            new[] { name, url });

    private static async Task<IReadOnlyList<StreamMessage>> ReadMessagesAsync(IPage page, string name)
    {
        var raw = await page.EvaluateAsync<JsonElement>("name => window.received[name].messages", name);
        return raw.EnumerateArray().Select(m =>
        {
            // onmessage only fires for unnamed messages, whose event type is "message".
            Assert.Equal("message", m.GetProperty("type").GetString());
            var data = JsonDocument.Parse(m.GetProperty("data").GetString()!).RootElement.Clone();
            return new StreamMessage(data.GetProperty("type").GetString()!, data, m.GetProperty("lastEventId").GetString()!);
        }).ToList();
    }

    private static async Task<(int Opens, int Errors)> ReadConnectionCountsAsync(IPage page, string name)
    {
        var log = await page.EvaluateAsync<JsonElement>("name => ({ opens: window.received[name].opens, errors: window.received[name].errors })", name);
        return (log.GetProperty("opens").GetInt32(), log.GetProperty("errors").GetInt32());
    }

    private static Task<IReadOnlyList<StreamMessage>> WaitForAsync(
        IPage page, string name, Func<IReadOnlyList<StreamMessage>, bool> done, string what) =>
        Eventually.UntilAsync(() => ReadMessagesAsync(page, name), done, Deadline, what, TimeSpan.FromMilliseconds(100));

    private sealed record StreamMessage(string Type, JsonElement Data, string LastEventId)
    {
        public override string ToString() => $"{LastEventId}: {Data.GetRawText()}";
    }
}
