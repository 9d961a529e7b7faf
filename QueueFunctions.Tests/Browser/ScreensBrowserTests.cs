using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Browser;

/// <summary>
/// The four screens in Debian's Chromium against the app on the local host (real engine, Azurite): one patient's
/// whole day with no reload anywhere, the failures a clinic meets, accessibility in both languages, and screenshots.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ScreensBrowserTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Key = QueueAppHost.StaffKey;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_patients_whole_day_from_kiosk_to_the_next_clinic_without_a_reload()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        Assert.Equal(200, (await http.EnterAsync("lab", "AHEAD1")).Status);

        var board = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/display?clinic=lab,internal,ent,surgery", "ar", Screens.Tv);
        await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("1", new() { Timeout = Ms(Wait) });

        // The kiosk: digits typed in Arabic-Indic, a man, the cooks' exam.
        var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk", "ar", Screens.Kiosk);
        await kiosk.FillAsync("#user", "١٢٣٤٥٦٧٨");
        await kiosk.CheckAsync("#gender-male");
        await kiosk.SelectOptionAsync("#exam", "cooks");
        await kiosk.ClickAsync("#start-visit");
        await Expect(kiosk.Locator("#ticket-number")).ToHaveTextAsync("2", new() { Timeout = Ms(Wait) });
        await Expect(kiosk.Locator("#ticket-ahead")).ToHaveTextAsync("1");
        await Expect(kiosk.Locator("#ticket-clinic")).ToHaveTextAsync("المختبر");
        // The QR code is an image the app draws: it arrives just after the ticket, so wait for it to load.
        await kiosk.WaitForFunctionAsync("() => document.getElementById('ticket-qr').naturalWidth > 0", null, new() { Timeout = Ms(Wait) });
        await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("2", new() { Timeout = Ms(Wait) });

        var patient = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/ticket?user=12345678", "ar", Screens.Phone);
        await Expect(patient.Locator("#alert")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("near-turn"), new() { Timeout = Ms(Wait) });
        await Expect(patient.Locator("#your-number")).ToHaveTextAsync("2");
        await Expect(patient.Locator("#route li").First).ToHaveClassAsync("now");

        // Staff call the patient ahead, who is not there: it is our patient's turn, on the phone and on the board.
        var console = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/clinic?clinic=lab", "ar", Screens.Tv);
        await console.FillAsync("#key", Key);
        await console.ClickAsync("#sign-in");
        await Expect(console.Locator("#pin-of-day")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{4}$"), new() { Timeout = Ms(Wait) });
        await Expect(console.Locator("#tickets tr")).ToHaveCountAsync(2, new() { Timeout = Ms(Wait) });
        Assert.DoesNotContain("12345678", await console.Locator("#tickets").InnerTextAsync());
        // The key is kept for this tab only: in session storage, never in local storage or the address.
        Assert.Equal(Key, await console.EvaluateAsync<string?>("sessionStorage.getItem('queue.staffKey')"));
        Assert.DoesNotContain(Key, await console.EvaluateAsync<string>("JSON.stringify(localStorage)"), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, console.Url, StringComparison.Ordinal);
        await console.ClickAsync("#call");
        await Expect(patient.Locator("#alert")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("your-turn"), new() { Timeout = Ms(Wait) });
        await Expect(board.Locator("#board-lab .serving")).ToHaveTextAsync("2", new() { Timeout = Ms(Wait) });
        await Expect(board.Locator("#board-lab")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("changed"));

        // The patient finishes lab with the PIN the console shows; the page follows the visit to the next clinic.
        var pin = await console.Locator("#pin-of-day").InnerTextAsync();
        await patient.FillAsync("#pin", pin);
        await patient.ClickAsync("#finish");
        await Expect(patient.Locator("#route li").First).ToHaveClassAsync("done", new() { Timeout = Ms(Wait) });
        var next = await patient.Locator("#route li.now").InnerTextAsync();
        var nextClinic = new[] { "internal", "ent", "surgery" }.Single(c => next.Contains(ClinicName(c), StringComparison.Ordinal));
        await Expect(patient.Locator("#now-clinic")).ToHaveTextAsync(ClinicName(nextClinic), new() { Timeout = Ms(Wait) });
        await Expect(patient.Locator("#your-number")).ToHaveTextAsync("1", new() { Timeout = Ms(Wait) });
        await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("0", new() { Timeout = Ms(Wait) });
        await Expect(board.Locator($"#board-{nextClinic} .waiting")).ToHaveTextAsync("1", new() { Timeout = Ms(Wait) });
        await Expect(board.Locator($"#board-{nextClinic} .serving")).ToHaveTextAsync("1");

        // Nothing above reloaded a page: each still has the one navigation it started with.
        foreach (var page in new[] { board, kiosk, patient, console })
        {
            Assert.Equal(1, await page.EvaluateAsync<int>("performance.getEntriesByType('navigation').length"));
        }

        output.WriteLine($"The patient went from lab to {nextClinic}");
    }

    [Fact]
    public async Task A_wrong_key_and_a_wrong_pin_are_told_plainly_and_change_nothing()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        Assert.Equal(200, (await http.EnterAsync("lab", "55667788")).Status);

        var console = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/clinic?clinic=lab", "en", Screens.Tv);
        await console.FillAsync("#key", "not-the-key");
        await console.ClickAsync("#sign-in");
        await Expect(console.Locator("#login-message")).ToHaveTextAsync("That key is not right.", new() { Timeout = Ms(Wait) });
        await Expect(console.Locator("#console")).ToBeHiddenAsync();
        Assert.Null(await console.EvaluateAsync<string?>("sessionStorage.getItem('queue.staffKey')"));
        Assert.DoesNotContain("not-the-key", console.Url);

        var patient = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/ticket?user=55667788&clinic=lab", "en", Screens.Phone);
        await Expect(patient.Locator("#your-number")).ToHaveTextAsync("1", new() { Timeout = Ms(Wait) });
        await patient.FillAsync("#pin", "0000");
        await patient.ClickAsync("#finish");
        await Expect(patient.Locator("#pin-message")).ToHaveTextAsync("That PIN is not right; ask the clinic's staff.", new() { Timeout = Ms(Wait) });
        var stored = (await host.StoredStateAsync("lab"))!;
        Assert.True(stored.WaitingTicketOf("55667788") is not null || stored.Pin == "0000", "a wrong PIN leaves the ticket waiting");
        await Screens.ShootAsync(patient, "failure-wrong-pin-en-phone");
        await Screens.ShootAsync(console, "failure-wrong-key-en-tv");
    }

    [Fact]
    public async Task A_timeout_at_the_kiosk_is_retried_to_the_same_ticket()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        await using var chromium = await Chromium.LaunchAsync();
        var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk", "en", Screens.Kiosk);
        var answered = 0;
        // The first start reaches the app and is applied, but its answer is lost to a 504, as when the queue is slow.
        await kiosk.RouteAsync("**/api/v1/visits", async route =>
        {
            if (Interlocked.Increment(ref answered) == 1)
            {
                await using var real = await route.FetchAsync();
                Assert.Equal(200, real.Status);
                await route.FulfillAsync(new() { Status = 504, ContentType = "application/json", Body = """{"success":false,"error":"The queue did not confirm the request in time; repeating it is safe.","code":"TIMEOUT"}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await kiosk.FillAsync("#user", "99887766");
        await kiosk.CheckAsync("#gender-female");
        await kiosk.SelectOptionAsync("#exam", "aviation");
        await kiosk.ClickAsync("#start-visit");

        await Expect(kiosk.Locator("#ticket-number")).ToHaveTextAsync("1", new() { Timeout = Ms(Wait) });
        Assert.Equal(2, answered);
        var lab = (await host.StoredStateAsync("lab"))!;
        Assert.Equal(1, Assert.Single(lab.Tickets).Number);
    }

    [Fact]
    public async Task A_staff_call_whose_answer_is_lost_is_retried_with_its_key_and_skips_one_patient()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        foreach (var user in new[] { "A", "B", "C" })
        {
            Assert.Equal(200, (await http.EnterAsync("ecg", user)).Status);
        }

        var console = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/clinic?clinic=ecg", "en", Screens.Tv);
        var sent = new List<(string? Key, string? Body)>();
        // The first call reaches the app and is applied, but its answer is lost to a 504, as when the queue is slow.
        await console.RouteAsync("**/api/v1/queue/call", async route =>
        {
            lock (sent)
            {
                sent.Add((route.Request.Headers.GetValueOrDefault("idempotency-key"), route.Request.PostData));
            }

            await using var real = await route.FetchAsync();
            if (sent.Count == 1)
            {
                Assert.Equal(200, real.Status);
                await route.FulfillAsync(new() { Status = 504, ContentType = "application/json", Body = """{"success":false,"error":"The queue did not confirm the request in time; repeating it is safe.","code":"TIMEOUT"}""" });
            }
            else
            {
                await route.FulfillAsync(new() { Response = real });
            }
        });
        await console.FillAsync("#key", Key);
        await console.ClickAsync("#sign-in");
        await Expect(console.Locator("#serving")).ToHaveTextAsync("1", new() { Timeout = Ms(Wait) });

        await console.ClickAsync("#call");

        await Expect(console.Locator("#action-message")).ToContainTextAsync("1", new() { Timeout = Ms(Wait) });
        Assert.Equal(2, sent.Count);
        Assert.Matches("^[0-9a-f]{32}$", sent[0].Key);
        Assert.Equal(sent[0], sent[1]);
        Assert.Contains("\"number\":1", sent[0].Body, StringComparison.Ordinal);
        var stored = (await host.StoredStateAsync("ecg"))!;
        Assert.Equal((2, 2), (stored.Current, stored.WaitingCount));
    }

    [Fact]
    public async Task The_board_shows_it_is_reconnecting_while_storage_is_down_and_recovers_by_itself()
    {
        var repo = QueueFunctions.LocalHost.Storage.AzuriteProcess.FindRepositoryRoot()!;
        var data = Path.Combine(Path.GetTempPath(), "queue-board-outage-" + Guid.NewGuid().ToString("N"));
        var storage = await QueueFunctions.LocalHost.Storage.AzuriteProcess.StartAsync(repo, data);
        var (blob, queue, table) = (storage.BlobPort, storage.QueuePort, storage.TablePort);
        try
        {
            await using var host = await QueueAppHost.StartQueueAppAsync(storage.ConnectionString, AzuriteFixture.NewTaskHubName());
            using var http = host.NewHttp();
            await using var chromium = await Chromium.LaunchAsync();
            Assert.Equal(200, (await http.EnterAsync("lab", "B1")).Status);
            var board = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/display?clinic=lab", "en", Screens.Tv);
            await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("1", new() { Timeout = Ms(Wait) });
            await Expect(board.Locator("#board-lab .reconnecting")).ToBeHiddenAsync();

            await storage.StopAsync(TimeSpan.FromSeconds(20));
            var stopped = System.Diagnostics.Stopwatch.StartNew();
            await Expect(board.Locator("#board-lab .reconnecting")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            output.WriteLine($"Storage stopped: the board said it was reconnecting after {stopped.Elapsed.TotalSeconds:0.0} s");
            await Screens.ShootAsync(board, "failure-board-reconnecting-en-tv");

            storage = await QueueFunctions.LocalHost.Storage.AzuriteProcess.StartAsync(repo, data, blob, queue, table);
            var restarted = System.Diagnostics.Stopwatch.StartNew();
            await Expect(board.Locator("#board-lab .reconnecting")).ToBeHiddenAsync(new() { Timeout = 60_000 });
            await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("1");
            output.WriteLine($"Storage back: the board was live again after {restarted.Elapsed.TotalSeconds:0.0} s, without a reload");
            Assert.Equal(1, await board.EvaluateAsync<int>("performance.getEntriesByType('navigation').length"));

            // A change after the outage reaches the board too, once the engine works again.
            await QueueFunctions.Tests.Support.Eventually.TrueAsync(async () => (await http.EnterAsync("lab", "B2")).Status == 200, TimeSpan.FromSeconds(120), "an enter after storage is back");
            output.WriteLine($"The first enter after the outage was answered {restarted.Elapsed.TotalSeconds:0.0} s after storage came back");
            await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("2", new() { Timeout = Ms(Wait) });
            await host.DisposeAsync();
        }
        finally
        {
            await storage.DisposeAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task The_board_keeps_its_memory_flat_over_thousands_of_updates_and_reconnects()
    {
        // Updates 20 times a second per clinic and a new stream every 6 s: a minute here is hours of a real board.
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?>
        {
            ["Queue:RefreshSeconds"] = "0.05",
            ["Queue:StreamMinutes"] = "0.1",
            ["Queue:HeartbeatSeconds"] = "1",
        });
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        var board = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/display?clinic=lab,xray,eyes", "ar", Screens.Tv);
        var cdp = await board.Context.NewCDPSessionAsync(board);
        var entered = 0;

        async Task RunAsync(TimeSpan period)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < period)
            {
                var clinic = new[] { "lab", "xray", "eyes" }[entered % 3];
                Assert.Equal(200, (await http.EnterAsync(clinic, $"H{entered}")).Status);
                entered++;
                await Task.Delay(250);
            }
        }

        async Task<(double Heap, int Nodes)> MeasureAsync()
        {
            await cdp.SendAsync("HeapProfiler.collectGarbage");
            var usage = await cdp.SendAsync("Runtime.getHeapUsage");
            return (usage!.Value.GetProperty("usedSize").GetDouble(), await board.EvaluateAsync<int>("document.getElementsByTagName('*').length"));
        }

        // Warm-up first: the first streams settle, and Playwright's own script (hundreds of KiB, injected into the page
        // by its first locator check) is in the heap before anything is measured; then two equal runs are compared.
        await RunAsync(TimeSpan.FromSeconds(10));
        await Expect(board.Locator("#board-lab .waiting")).Not.ToHaveTextAsync("–", new() { Timeout = Ms(Wait) });
        var start = await MeasureAsync();
        await RunAsync(TimeSpan.FromSeconds(30));
        var middle = await MeasureAsync();
        await RunAsync(TimeSpan.FromSeconds(30));
        await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync(((entered + 2) / 3).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = Ms(Wait) });
        var end = await MeasureAsync();

        output.WriteLine($"Board heap after GC: {start.Heap / 1024:0} KiB, {middle.Heap / 1024:0} KiB after 30 s, {end.Heap / 1024:0} KiB after 60 s " +
                         $"(about 3,600 updates and 10 reconnects, {entered} enters); elements {start.Nodes}, {middle.Nodes}, {end.Nodes}");
        Assert.Equal(start.Nodes, end.Nodes);
        Assert.True(end.Heap - middle.Heap < 256 * 1024, $"the heap grew by {(end.Heap - middle.Heap) / 1024:0} KiB in the second 30 s");
        Assert.Equal(1, await board.EvaluateAsync<int>("performance.getEntriesByType('navigation').length"));
    }

    [Fact]
    public async Task Every_screen_passes_axe_in_arabic_and_english_and_is_photographed_at_phone_kiosk_and_tv_size()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        Assert.Equal(200, (await http.EnterAsync("lab", "AHEAD1")).Status);
        Assert.Equal(200, (await http.StartVisitAsync("12345678", "recruitment")).Status);
        var problems = new List<string>();

        foreach (var lang in new[] { "ar", "en" })
        {
            foreach (var size in new[] { Screens.Phone, Screens.Kiosk, Screens.Tv })
            {
                var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk", lang, size);
                await CheckAsync(kiosk, $"kiosk-{lang}-{size.Name}");
                await kiosk.FillAsync("#user", "24681357");
                await kiosk.SelectOptionAsync("#clinic", "xray");
                await kiosk.ClickAsync("#take-ticket");
                await Expect(kiosk.Locator("#ticket")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });
                await kiosk.WaitForFunctionAsync("() => document.getElementById('ticket-qr').naturalWidth > 0", null, new() { Timeout = Ms(Wait) });
                await CheckAsync(kiosk, $"kiosk-ticket-{lang}-{size.Name}");

                var patient = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/ticket?user=12345678", lang, size);
                await Expect(patient.Locator("#route li")).ToHaveCountAsync(10, new() { Timeout = Ms(Wait) });
                await Expect(patient.Locator("#alert")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });
                await CheckAsync(patient, $"ticket-{lang}-{size.Name}");

                var board = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/display?clinic=lab,xray,vitals,eyes,internal,surgery,ent,dental", lang, size);
                await Expect(board.Locator("#board-lab .waiting")).ToHaveTextAsync("2", new() { Timeout = Ms(Wait) });
                await CheckAsync(board, $"display-{lang}-{size.Name}");

                var console = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/clinic?clinic=lab", lang, size);
                await CheckAsync(console, $"clinic-login-{lang}-{size.Name}");
                await console.FillAsync("#key", Key);
                await console.ClickAsync("#sign-in");
                await Expect(console.Locator("#tickets tr")).ToHaveCountAsync(2, new() { Timeout = Ms(Wait) });
                await Expect(console.Locator("#figures .fact")).ToHaveCountAsync(8, new() { Timeout = Ms(Wait) });
                await CheckAsync(console, $"clinic-{lang}-{size.Name}");

                foreach (var page in new[] { kiosk, patient, board, console })
                {
                    await page.Context.CloseAsync();
                }
            }
        }

        output.WriteLine($"Screenshots in {Screens.ScreenshotDirectory}");
        Assert.True(problems.Count == 0, string.Join('\n', problems));

        async Task CheckAsync(IPage page, string name)
        {
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (width > page.ViewportSize!.Width)
            {
                problems.Add($"{name}: the layout is {width} px wide in a {page.ViewportSize.Width} px screen");
            }

            var results = await page.RunAxe();
            if (results.Passes.Length == 0)
            {
                problems.Add($"{name}: axe checked nothing");
            }

            foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                problems.Add($"{name}: axe {violation.Impact} {violation.Id}: {violation.Help} at {string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString()))}");
            }

            await Screens.ShootAsync(page, name);
        }
    }

    private static string ClinicName(string clinic) => QueueFunctions.Domain.ClinicNames.ArabicOf(clinic);

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
