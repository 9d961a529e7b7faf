using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QueueFunctions.Domain;
using QueueFunctions.History;
using QueueFunctions.LocalHost.Hosting;
using QueueFunctions.Tests.Support.Clients;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Browser;

/// <summary>
/// The manager's overview in Debian's Chromium against the app on the local host: signed in with the staff key, every
/// clinic live on one stream, the stalled alert, axe in both languages at TV and laptop size, and screenshots.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class OverviewBrowserTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Key = QueueAppHost.StaffKey;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_overview_passes_axe_in_both_languages_at_tv_and_laptop_size_and_follows_an_enter_live()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        await SeedHistoryAsync(host, http);
        foreach (var user in new[] { "A1", "A2", "A3", "A4" })
        {
            Assert.Equal(200, (await http.EnterAsync("lab", user)).Status);
        }

        Assert.Equal(200, (await http.EnterAsync("xray", "B1")).Status);
        Assert.Equal(200, (await http.StartVisitAsync("12345678", "recruitment")).Status);
        var pin = (await http.GetJsonAsync("api/v1/pin/status", staff: true)).Body.GetProperty("pins").GetProperty("lab").GetString();
        Assert.Equal(200, (await http.PostAsync("api/v1/queue/done", new { clinic = "lab", user = "A1", pin })).Status);
        await using var chromium = await Chromium.LaunchAsync();
        var problems = new List<string>();
        var patients = 0;

        foreach (var lang in new[] { "ar", "en" })
        {
            foreach (var size in new[] { Screens.Tv, Screens.Laptop })
            {
                var page = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/overview", lang, size);
                await CheckAsync(page, problems, $"overview-login-{lang}-{size.Name}");

                await page.FillAsync("#key", "not-the-key");
                await page.ClickAsync("#sign-in");
                await Expect(page.Locator("#login-message")).ToHaveTextAsync(lang == "ar" ? "المفتاح غير صحيح." : "That key is not right.", new() { Timeout = Ms(Wait) });

                await page.FillAsync("#key", Key);
                await page.ClickAsync("#sign-in");
                await Expect(page.Locator("#clinics tr")).ToHaveCountAsync(16, new() { Timeout = Ms(Wait) });
                await Expect(page.Locator("#live")).ToHaveTextAsync(lang == "ar" ? "متصل" : "Live", new() { Timeout = Ms(Wait) });
                await Expect(page.Locator("#chart rect")).ToHaveCountAsync(30, new() { Timeout = Ms(Wait) });
                await Expect(page.Locator("#history-rows tr")).ToHaveCountAsync(30);
                // Three of the four patients and the visit, whose first clinic is lab.
                await Expect(page.Locator("tr[data-clinic='lab'] td.waiting")).ToHaveTextAsync("4");
                await Expect(page.Locator("tr[data-clinic='lab'] td.served")).ToHaveTextAsync("1");

                // A patient enters at xray while the page is open: its row and the totals change with no reload.
                // A keyboard user on a clinic's link keeps the focus through every update.
                await page.FocusAsync("tr[data-clinic='xray'] th a");
                var before = int.Parse(await page.Locator("tr[data-clinic='xray'] td.waiting").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(200, (await http.EnterAsync("xray", $"LIVE{++patients}")).Status);
                await Expect(page.Locator("tr[data-clinic='xray'] td.waiting")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 5000 });
                Assert.Equal(1, await page.EvaluateAsync<int>("performance.getEntriesByType('navigation').length"));
                Assert.Equal("xray", await page.EvaluateAsync<string>("document.activeElement?.closest('tr')?.dataset.clinic ?? ''"));

                // On the manager's TV the whole centre is one screen: nobody is there to scroll it.
                var height = await page.EvaluateAsync<int>("document.documentElement.scrollHeight");
                if (size == Screens.Tv && height > size.Height)
                {
                    problems.Add($"overview-{lang}-tv: the page is {height} px tall on a {size.Height} px TV");
                }

                await CheckAsync(page, problems, $"overview-{lang}-{size.Name}");
                await page.Context.CloseAsync();
            }
        }

        output.WriteLine($"Screenshots in {Screens.ScreenshotDirectory}");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task A_clinic_that_has_not_moved_past_the_threshold_raises_the_alert_and_moving_it_clears_the_alert()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName(), settings: new Dictionary<string, string?>
        {
            ["Overview:StalledMinutes"] = "0.05",
            ["Queue:RefreshSeconds"] = "0.5",
        });
        using var http = host.NewHttp();
        await using var chromium = await Chromium.LaunchAsync();
        var problems = new List<string>();

        foreach (var lang in new[] { "ar", "en" })
        {
            var page = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/overview", lang, Screens.Tv);
            await page.FillAsync("#key", Key);
            await page.ClickAsync("#sign-in");
            await Expect(page.Locator("#clinics tr")).ToHaveCountAsync(16, new() { Timeout = Ms(Wait) });
            await Expect(page.Locator("#stalled-alert")).ToBeHiddenAsync();

            Assert.Equal(200, (await http.EnterAsync("eyes", $"S-{lang}")).Status);
            await Expect(page.Locator("tr[data-clinic='eyes'] td.waiting")).ToHaveTextAsync("1", new() { Timeout = 5000 });
            await Expect(page.Locator("#stalled-alert")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });
            await Expect(page.Locator("#stalled-alert li")).ToHaveCountAsync(1);
            await Expect(page.Locator("#stalled-alert li a")).ToHaveTextAsync(lang == "ar" ? ClinicNames.ArabicOf("eyes") : ClinicNames.EnglishOf("eyes"));
            await Expect(page.Locator("tr[data-clinic='eyes']")).ToHaveClassAsync("stalled");
            var height = await page.EvaluateAsync<int>("document.documentElement.scrollHeight");
            if (height > Screens.Tv.Height)
            {
                problems.Add($"overview-stalled-{lang}-tv: with the alert the page is {height} px tall on a {Screens.Tv.Height} px TV");
            }

            await CheckAsync(page, problems, $"overview-stalled-{lang}-tv");

            Assert.Equal(200, (await http.PostAsync("api/v1/queue/call", new { clinic = "eyes" }, staff: true)).Status);
            await Expect(page.Locator("#stalled-alert")).ToBeHiddenAsync(new() { Timeout = 5000 });
            await Expect(page.Locator("tr[data-clinic='eyes']")).Not.ToHaveClassAsync("stalled");
            await page.Context.CloseAsync();
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// 29 earlier service days of three clinics in the history, written as the queue's own events would be, so the chart
    /// has a month to draw.
    /// </summary>
    private static async Task SeedHistoryAsync(LocalQueueHost host, HttpClient http)
    {
        var history = host.Services.GetRequiredService<HistoryTable>();
        var today = DateOnly.Parse((await http.GetJsonAsync("api/v1/pin/status", staff: true)).Body.GetProperty("serviceDay").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var events = new List<QueueEvent>();
        foreach (var daysAgo in Enumerable.Range(1, 29))
        {
            var day = today.AddDays(-daysAgo);
            var opening = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(3));
            foreach (var (clinic, c) in new[] { "lab", "xray", "eyes" }.Select((clinic, c) => (clinic, c)))
            {
                var patients = 3 + (daysAgo * 7 + c * 3) % 6;
                var service = TimeSpan.FromMinutes(3 + (daysAgo + c) % 5);
                var free = opening;
                for (var number = 1; number <= patients; number++)
                {
                    var issued = opening.AddMinutes(2 * number);
                    var done = (issued > free ? issued : free) + service;
                    free = done;
                    var version = number * 2L;
                    events.Add(new QueueEvent($"{clinic}:{day}:{version - 1}", clinic, day, version - 1, QueueEvent.TicketIssued, number, $"H{number}", issued));
                    events.Add(new QueueEvent($"{clinic}:{day}:{version}", clinic, day, version, QueueEvent.TicketDone, number, $"H{number}", done));
                }
            }
        }

        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (change, cancel) => await history.RecordAsync(change, cancel));
    }

    private static async Task CheckAsync(IPage page, List<string> problems, string name)
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

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
