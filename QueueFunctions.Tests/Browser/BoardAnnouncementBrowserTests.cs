using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Tests.Support;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Browser;

/// <summary>
/// The waiting-room board saying each call aloud, in Debian's Chromium against the app on the local host: calls made
/// through the API, the chime and the words heard through what the page hands the browser. Chromium here has no
/// voices, so the spoken half is checked against a stand-in speech engine that the test ends utterances of.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class BoardAnnouncementBrowserTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private const string EntAr = "الأنف والأذن والحنجرة";
    private const string LabAr = "المختبر";

    /// <summary>
    /// Records, in one timeline, what a person at the board would notice: each tone of a chime, each text the
    /// "now calling" line shows, and each utterance handed to the speech engine.
    /// </summary>
    private const string Recorder =
        """
        (() => {
          const log = window.__boardLog = [];
          // The line's mutations reach an observer only after the current task, and the chime starts in that task:
          // taking them before noting a sound keeps the timeline in the order things happened.
          const observer = new MutationObserver(records => noteLine(records));
          const noteLine = records => {
            const line = document.getElementById("now-calling");
            if (line && records.some(r => line.contains(r.target))) log.push({ kind: "shown", text: line.textContent });
          };
          window.__boardFlush = () => noteLine(observer.takeRecords());
          observer.observe(document, { subtree: true, childList: true, characterData: true });
          const start = OscillatorNode.prototype.start;
          OscillatorNode.prototype.start = function (...args) {
            window.__boardFlush();
            log.push({ kind: "tone", hz: this.frequency.value });
            return start.apply(this, args);
          };
          if (window.speechSynthesis) {
            const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
            window.speechSynthesis.speak = utterance => {
              window.__boardFlush();
              log.push({ kind: "speak", lang: utterance.lang, text: utterance.text });
              speak(utterance);
            };
          }
        })();
        """;

    [Fact]
    public async Task Without_a_voice_each_call_is_chimed_once_in_order_and_written_on_the_board()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        await EnterAsync(http, "ent", 4);
        await EnterAsync(http, "lab", 3);

        var board = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/display?clinic=ent,lab", "ar", Screens.Tv,
            context => context.AddInitScriptAsync(Recorder));
        await Expect(board.Locator("#board-ent .waiting")).ToHaveTextAsync("4", new() { Timeout = Ms(Wait) });
        await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("3", new() { Timeout = Ms(Wait) });
        // What this test is about: a browser with no voice at all, as this Chromium is.
        Assert.Equal(0, await board.EvaluateAsync<int>("speechSynthesis.getVoices().length"));
        await board.ClickAsync("#sound");
        await Expect(board.Locator("#sound")).ToBeHiddenAsync();
        var line = board.Locator("#now-calling");

        // Staff call at ent, a patient finishes lab with the day's PIN, ent calls again.
        await CallAsync(http, "ent");
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 2 — {EntAr}", new() { Timeout = Ms(Wait) });
        await DoneAsync(http, "lab", "lab-1");
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 2 — {LabAr}", new() { Timeout = Ms(Wait) });
        await CallAsync(http, "ent");
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 3 — {EntAr}", new() { Timeout = Ms(Wait) });

        // A state that calls nobody (a patient joins ent, which still serves 3), then a call that comes after it:
        // announcements keep their order, so a repeat of ent's 3 would show before lab's 3.
        await EnterAsync(http, "ent", 1, first: 5);
        await Expect(board.Locator("#board-ent .waiting")).ToHaveTextAsync("3", new() { Timeout = Ms(Wait) });
        await CallAsync(http, "lab");
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 3 — {LabAr}", new() { Timeout = Ms(Wait) });

        string[] Chimed(int number, string clinic) => [$"shown يُنادى الآن: {number} — {clinic}", "tone 880", "tone 1320"];
        string[] expected = [.. Chimed(2, EntAr), .. Chimed(2, LabAr), .. Chimed(3, EntAr), .. Chimed(3, LabAr)];
        Assert.Equal(expected, await TimelineAsync(board));

        // The line is for those who cannot hear: a live region, in the page's language.
        Assert.Equal("status", await line.GetAttributeAsync("role"));
        var problems = new List<string>();
        await CheckAsync(board, "display-calling-ar-tv", problems);
        await board.ClickAsync("#lang");
        await Expect(line).ToHaveTextAsync("Now calling: 3 — Laboratory");
        await CheckAsync(board, "display-calling-en-tv", problems);
        Assert.True(problems.Count == 0, string.Join('\n', problems));

        // A browser with a voice for English only says the English.
        await EnterAsync(http, "xray", 3);
        var english = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/display?clinic=xray", "en", Screens.Tv, async context =>
        {
            await context.AddInitScriptAsync(Recorder);
            await context.AddInitScriptAsync(FakeSpeech("en-US"));
        });
        await Expect(english.Locator("#board-xray .waiting")).ToHaveTextAsync("3", new() { Timeout = Ms(Wait) });
        await english.EvaluateAsync("window.__speech.automatic = true");
        await english.ClickAsync("#sound");
        await CallAsync(http, "xray");
        await WaitForSpokenAsync(english, 1);
        // The next call's English shows the first call's turn is over, so an Arabic of the first would be in by now.
        await CallAsync(http, "xray");
        Assert.Equal(["en Number 2, X-ray clinic", "en Number 3, X-ray clinic"], await WaitForSpokenAsync(english, 2));
        output.WriteLine($"Screenshots in {Screens.ScreenshotDirectory}");
    }

    [Fact]
    public async Task With_voices_each_call_is_said_in_arabic_then_english_once_without_overlap_and_the_switch_silences_it()
    {
        // Every stream ends after 3 s, so the board reconnects, and is sent the state again, many times in this test.
        await using var host = await azurite.StartQueueAppAsync(
            AzuriteFixture.NewTaskHubName(),
            settings: new Dictionary<string, string?> { ["Queue:StreamMinutes"] = "0.05" });
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        await EnterAsync(http, "ent", 8);
        await EnterAsync(http, "lab", 8);

        var board = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/display?clinic=ent,lab", "ar", Screens.Tv, async context =>
        {
            await context.AddInitScriptAsync(Recorder);
            await context.AddInitScriptAsync(FakeSpeech("ar-SA", "en-GB"));
            await context.Clock.InstallAsync();
        });
        var streams = 0;
        board.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/v1/events/stream", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref streams);
            }
        };
        await Expect(board.Locator("#board-ent .waiting")).ToHaveTextAsync("8", new() { Timeout = Ms(Wait) });
        await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("8", new() { Timeout = Ms(Wait) });
        await Expect(board.Locator("#speech")).ToHaveAttributeAsync("aria-pressed", "true");
        await board.ClickAsync("#sound");
        var line = board.Locator("#now-calling");

        // Lab calls while ent's call is still being said: lab's waits until ent's English has ended.
        await CallAsync(http, "ent");
        Assert.Equal([$"ar الرقم ٢، عيادة {EntAr}"], await WaitForSpokenAsync(board, 1));
        await CallAsync(http, "lab");
        await Expect(board.Locator("#board-lab .serving")).ToHaveTextAsync("2", new() { Timeout = Ms(Wait) });
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 2 — {EntAr}");
        await EndUtteranceAsync(board);
        Assert.Equal("en Number 2, ENT clinic", (await WaitForSpokenAsync(board, 2))[^1]);
        await EndUtteranceAsync(board);
        Assert.Equal($"ar الرقم ٢، عيادة {LabAr}", (await WaitForSpokenAsync(board, 3))[^1]);
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 2 — {LabAr}");
        await EndUtteranceAsync(board);
        Assert.Equal("en Number 2, Laboratory clinic", (await WaitForSpokenAsync(board, 4))[^1]);
        await EndUtteranceAsync(board);

        // Reconnects send the state again; none of them calls anyone. Ent's next call, after two of them, is the
        // sixth and seventh utterance.
        await board.EvaluateAsync("window.__speech.automatic = true");
        var before = Volatile.Read(ref streams);
        await Eventually.TrueAsync(() => Volatile.Read(ref streams) >= before + 2, TimeSpan.FromSeconds(60), "two reconnects of the board's stream");
        await CallAsync(http, "ent");
        Assert.Equal(
            [$"ar الرقم ٢، عيادة {EntAr}", "en Number 2, ENT clinic", $"ar الرقم ٢، عيادة {LabAr}", "en Number 2, Laboratory clinic",
             $"ar الرقم ٣، عيادة {EntAr}", "en Number 3, ENT clinic"],
            await WaitForSpokenAsync(board, 6));
        await Eventually.TrueAsync(async () => (await TimelineAsync(board))[^1] == "end en", Wait, "the end of ent's call 3");
        var timeline = await TimelineAsync(board);
        Assert.DoesNotContain("cancel", timeline);
        Assert.Equal(0, await board.EvaluateAsync<int>("window.__boardLog.filter(e => e.kind === 'speak' && e.overlapping > 0).length"));
        Assert.Equal(
            ["ar Test ar-SA", "en Test en-GB"],
            (await board.EvaluateAsync<string[]>("window.__boardLog.filter(e => e.kind === 'speak').map(e => e.lang + ' ' + e.voice)")).Distinct());

        // An engine that never ends an utterance holds the board only so long: the English follows without it.
        await board.EvaluateAsync("window.__speech.automatic = false");
        await CallAsync(http, "lab");
        Assert.Equal($"ar الرقم ٣، عيادة {LabAr}", (await WaitForSpokenAsync(board, 7))[^1]);
        await board.Clock.FastForwardAsync("00:20");
        Assert.Equal("en Number 3, Laboratory clinic", (await WaitForSpokenAsync(board, 8))[^1]);
        Assert.Equal(["cancel", "error ar", "speak en Number 3, Laboratory clinic"], (await TimelineAsync(board))[^3..]);
        await EndUtteranceAsync(board);

        // Switched off mid-sentence: it stops there, and the calls after it are chimed and written but not said. The
        // page's clock stands still meanwhile, so the guard cannot be what ends the sentence.
        var pageNow = await board.EvaluateAsync<long>("Date.now()");
        await board.Clock.PauseAtAsync(DateTimeOffset.FromUnixTimeMilliseconds(pageNow + 100).UtcDateTime);
        await CallAsync(http, "ent");
        Assert.Equal($"ar الرقم ٤، عيادة {EntAr}", (await WaitForSpokenAsync(board, 9))[^1]);
        await board.ClickAsync("#speech");
        await Expect(board.Locator("#speech")).ToHaveAttributeAsync("aria-pressed", "false");
        await Eventually.TrueAsync(async () => (await TimelineAsync(board))[^1] == "error ar", Wait, "the Arabic cut off by the switch");
        await CallAsync(http, "lab");
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 4 — {LabAr}", new() { Timeout = Ms(Wait) });
        await CallAsync(http, "ent");
        await Expect(line).ToHaveTextAsync($"يُنادى الآن: 5 — {EntAr}", new() { Timeout = Ms(Wait) });
        // Lab's 4 is over once ent's 5 shows: it said nothing, and nothing more after the cut.
        Assert.Equal(9, (await SpokenAsync(board)).Length);
        Assert.Equal(["cancel", "error ar"], (await TimelineAsync(board)).Where(e => e is "cancel" or "error ar").TakeLast(2));

        await board.Clock.ResumeAsync();

        await Screens.ShootAsync(board, "display-speech-off-ar-tv");
        await board.ReloadAsync();
        await Expect(board.Locator("#speech")).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal("off", await board.EvaluateAsync<string?>("localStorage.getItem('queue.speech')"));
    }

    [Fact]
    public async Task Calls_are_told_from_states_and_the_line_keeps_one_call_per_clinic()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await OpenAssetsAsync(chromium);

        // Numbers only go up within one numbering, and `length` goes down when a reset or a new day starts another.
        var calls = await page.EvaluateAsync<string[]>(
            """
            async () => {
              const { createCallDetector } = await import("/assets/calls.js");
              const detect = createCallDetector();
              return [
                ["lab", 5, 8], ["lab", 5, 8], ["lab", 5, 9], ["lab", 6, 9], ["lab", 0, 9], ["lab", 7, 10],
                ["lab", 7, 10], ["lab", 7, 8], ["xray", 7, 8], ["lab", 7, 8], ["lab", 1, 1],
              ].map(([clinic, current, length]) => {
                const call = detect({ type: "QUEUE_UPDATE", clinic, current, length, waiting: 0, timestamp: "" });
                return call ? `${call.clinic} ${call.number}` : "-";
              });
            }
            """);
        Assert.Equal(["-", "-", "-", "lab 6", "-", "lab 7", "-", "lab 7", "-", "-", "lab 1"], calls);

        // Forty calls from three clinics while the first is being announced: only each clinic's latest waits, in the
        // order of those calls; a clinic that moved on drops its waiting call; a failed announcement stops nothing.
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const { createCallQueue } = await import("/assets/calls.js");
              const announced = [];
              const ends = [];
              const queue = createCallQueue(call => {
                announced.push(`${call.clinic} ${call.number}`);
                return new Promise((resolve, reject) => ends.push(call.number === 39 ? () => reject(new Error("no sound")) : resolve));
              });
              let largest = 0;
              for (let number = 1; number <= 40; number++) {
                queue.add({ clinic: ["lab", "xray", "eyes"][number % 3], number });
                largest = Math.max(largest, queue.size);
              }
              queue.settle("eyes", 0);
              const waiting = queue.size;
              for (let i = 0; i < 10 && ends.length > i; i++) {
                ends[i]();
                await new Promise(resolve => setTimeout(resolve, 0));
              }
              return { announced, largest, waiting, left: queue.size };
            }
            """);
        Assert.Equal(3, result.GetProperty("largest").GetInt32());
        Assert.Equal(2, result.GetProperty("waiting").GetInt32());
        Assert.Equal(0, result.GetProperty("left").GetInt32());
        Assert.Equal(["xray 1", "lab 39", "xray 40"], result.GetProperty("announced").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    /// <summary>
    /// A speech engine with voices for the given languages. Each utterance stays unfinished until the test ends it
    /// (or, when automatic, until the next task), and each speak notes how many were unfinished when it came.
    /// </summary>
    private static string FakeSpeech(params string[] voices) =>
        """
        ((voiceLangs) => {
          const log = window.__boardLog;
          const voices = voiceLangs.map(lang => ({ name: `Test ${lang}`, lang, localService: true, default: false, voiceURI: `test-${lang}` }));
          const unfinished = [];
          let automatic = false;
          class Utterance extends EventTarget {
            constructor(text = "") {
              super();
              Object.assign(this, { text, lang: "", voice: null, rate: 1, pitch: 1, volume: 1 });
            }
          }
          const end = (utterance, type) => {
            const index = unfinished.indexOf(utterance);
            if (index < 0) return;
            unfinished.splice(index, 1);
            log.push({ kind: type, lang: utterance.lang });
            utterance.dispatchEvent(new Event(type));
          };
          const engine = {
            getVoices: () => voices.slice(),
            speak(utterance) {
              window.__boardFlush();
              log.push({ kind: "speak", lang: utterance.lang, text: utterance.text, voice: utterance.voice?.name ?? null, overlapping: unfinished.length });
              unfinished.push(utterance);
              if (automatic) setTimeout(() => end(utterance, "end"), 0);
            },
            cancel() {
              log.push({ kind: "cancel" });
              for (const utterance of [...unfinished]) end(utterance, "error");
            },
            pause() {}, resume() {},
            get speaking() { return unfinished.length > 0; },
            get pending() { return unfinished.length > 1; },
            get paused() { return false; },
            addEventListener() {}, removeEventListener() {}, onvoiceschanged: null,
          };
          Object.defineProperty(window, "speechSynthesis", { value: engine, configurable: true });
          Object.defineProperty(window, "SpeechSynthesisUtterance", { value: Utterance, configurable: true, writable: true });
          window.__speech = {
            set automatic(on) { automatic = on; },
            end() {
              if (unfinished.length === 0) return false;
              end(unfinished[0], "end");
              return true;
            },
          };
        })
        """ + $"({JsonSerializer.Serialize(voices)});";

    private static async Task EnterAsync(HttpClient http, string clinic, int count, int first = 1)
    {
        for (var i = first; i < first + count; i++)
        {
            Assert.Equal(200, (await http.EnterAsync(clinic, $"{clinic}-{i}")).Status);
        }
    }

    private static async Task CallAsync(HttpClient http, string clinic) =>
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic }, staff: true)).Status);

    private static async Task DoneAsync(HttpClient http, string clinic, string user)
    {
        var pins = await http.GetJsonAsync("api/v1/pin/status", staff: true);
        Assert.Equal(200, pins.Status);
        var pin = pins.Body.GetProperty("pins").GetProperty(clinic).GetString();
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic, user, pin })).Status);
    }

    private static async Task EndUtteranceAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("window.__speech.end()"), "an utterance was being said");

    /// <summary>The board's timeline as lines: "tone 880", "shown …", "speak ar …", "end en", "cancel".</summary>
    private static async Task<string[]> TimelineAsync(IPage page)
    {
        var log = await page.EvaluateAsync<JsonElement>("window.__boardLog");
        return log.EnumerateArray().Select(e =>
        {
            var kind = e.GetProperty("kind").GetString();
            return kind switch
            {
                "tone" => $"tone {e.GetProperty("hz").GetDouble()}",
                "shown" => $"shown {e.GetProperty("text").GetString()}",
                "speak" => $"speak {e.GetProperty("lang").GetString()} {e.GetProperty("text").GetString()}",
                "end" or "error" => $"{kind} {e.GetProperty("lang").GetString()}",
                _ => kind!,
            };
        }).ToArray();
    }

    /// <summary>What was handed to the speech engine, as "lang text".</summary>
    private static async Task<string[]> SpokenAsync(IPage page) =>
        (await TimelineAsync(page)).Where(e => e.StartsWith("speak ", StringComparison.Ordinal)).Select(e => e["speak ".Length..]).ToArray();

    private static async Task<string[]> WaitForSpokenAsync(IPage page, int count) =>
        await Eventually.UntilAsync(() => SpokenAsync(page), s => s.Length >= count, Wait, $"{count} utterance(s)");

    /// <summary>An empty page whose origin serves the app's scripts from the repository, for their rules alone.</summary>
    private static async Task<IPage> OpenAssetsAsync(Chromium chromium)
    {
        var assets = Path.Combine(AzuriteProcess.FindRepositoryRoot()!, "QueueFunctions", "wwwroot", "assets");
        var page = await chromium.Browser.NewPageAsync();
        await page.RouteAsync("http://board.test/**", route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            return path.StartsWith("/assets/", StringComparison.Ordinal)
                ? route.FulfillAsync(new() { ContentType = "text/javascript", Body = File.ReadAllText(Path.Combine(assets, Path.GetFileName(path))) })
                : route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><title>calls</title>" });
        });
        await page.GotoAsync("http://board.test/");
        return page;
    }

    private static async Task CheckAsync(IPage page, string name, List<string> problems)
    {
        var results = await page.RunAxe();
        foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.Add($"{name}: axe {violation.Impact} {violation.Id}: {violation.Help} at {string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString()))}");
        }

        await Screens.ShootAsync(page, name);
    }

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
