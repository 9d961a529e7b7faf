using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using QueueFunctions.Tests.Support.Engine;
using Xunit.Abstractions;

namespace QueueFunctions.Tests.Browser;

/// <summary>
/// The kiosk as the touch screen at the entrance (no keyboard): its keypad, its large choices, the ticket screen that
/// clears itself, and the ticket as an 80 mm receipt. In Chromium against the app on the local host.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed partial class KioskTouchBrowserTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>80 mm in CSS pixels (96 per inch): the receipt printer's whole paper.</summary>
    private const double PaperPx = 80 / 25.4 * 96;

    [Fact]
    public async Task A_number_tapped_on_the_keypad_in_arabic_with_large_choices_starts_the_visit_of_that_patient()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        await using var chromium = await Chromium.LaunchAsync();
        var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk", "ar", Screens.Kiosk);

        // A slip of the finger is taken back with delete: 9 is tapped and removed.
        foreach (var digit in "123456789")
        {
            await Key(kiosk, digit).ClickAsync();
        }

        await kiosk.GetByRole(AriaRole.Button, new() { Name = "حذف آخر رقم", Exact = true }).ClickAsync();
        await Expect(kiosk.Locator("#user")).ToHaveValueAsync("١٢٣٤٥٦٧٨");
        await kiosk.Locator("label:has(#gender-female)").ClickAsync();
        await kiosk.Locator("label:has(#exam-cooks)").ClickAsync();
        await Expect(kiosk.Locator("#gender-female")).ToBeCheckedAsync();
        await Expect(kiosk.Locator("#exam-cooks")).ToBeCheckedAsync();
        await Expect(kiosk.Locator("#exam")).ToHaveValueAsync("cooks");

        var reply = await kiosk.RunAndWaitForResponseAsync(
            () => kiosk.Locator("#start-visit").ClickAsync(), response => response.Url.EndsWith("/api/v1/visits", StringComparison.Ordinal));

        using var sent = JsonDocument.Parse(reply.Request.PostData!);
        Assert.Equal(("12345678", "cooks", "female"), (sent.RootElement.GetProperty("user").GetString(), sent.RootElement.GetProperty("exam").GetString(), sent.RootElement.GetProperty("gender").GetString()));
        Assert.Equal(200, reply.Status);
        using var answer = JsonDocument.Parse(await reply.TextAsync());
        Assert.Equal("12345678", answer.RootElement.GetProperty("user").GetString());
        await Expect(kiosk.Locator("#ticket")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });
        await Expect(kiosk.Locator("#ticket-number")).ToHaveTextAsync("1");
        await Expect(kiosk.Locator("#ticket-clinic")).Not.ToBeEmptyAsync();
        await Expect(kiosk.Locator("#start")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Delete_and_clear_edit_the_number_and_a_real_keyboard_still_types_into_it()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        await using var chromium = await Chromium.LaunchAsync();
        var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk", "en", Screens.Kiosk);
        var user = kiosk.Locator("#user");

        await Key(kiosk, '4').ClickAsync();
        await Key(kiosk, '2').ClickAsync();
        await Expect(user).ToHaveValueAsync("42");
        await user.PressAsync("End");
        await user.PressSequentiallyAsync("7");
        await Expect(user).ToHaveValueAsync("427");
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Delete the last digit", Exact = true }).ClickAsync();
        await Expect(user).ToHaveValueAsync("42");
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "Clear", Exact = true }).ClickAsync();
        await Expect(user).ToHaveValueAsync("");

        // The keypad stops where the field does: twelve digits.
        for (var i = 0; i < 14; i++)
        {
            await Key(kiosk, '1').ClickAsync();
        }

        await Expect(user).ToHaveValueAsync(new string('1', 12));

        // Every key says both its digits to a screen reader, in either language.
        await Expect(kiosk.GetByRole(AriaRole.Button, new() { Name = "٧ 7", Exact = true })).ToHaveCountAsync(1);
        await kiosk.ClickAsync("#lang");
        await Expect(kiosk.GetByRole(AriaRole.Button, new() { Name = "حذف آخر رقم", Exact = true })).ToHaveCountAsync(1);
        await Expect(kiosk.GetByRole(AriaRole.Button, new() { Name = "مسح الكل", Exact = true })).ToHaveCountAsync(1);
        await Expect(kiosk.GetByRole(AriaRole.Group, new() { Name = "لوحة الأرقام", Exact = true })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Every_target_on_the_kiosk_is_at_least_64_px_and_the_exam_choices_are_the_servers_exams()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        await using var chromium = await Chromium.LaunchAsync();
        var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk", "ar", Screens.Kiosk);

        var exams = await kiosk.Locator("#exam option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        var choices = await kiosk.Locator("#exam-choices input").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        Assert.NotEmpty(exams);
        Assert.Equal(exams, choices);
        // The first exam is chosen from the start, as the select's first option was.
        await Expect(kiosk.Locator($"#exam-{exams[0]}")).ToBeCheckedAsync();

        var small = new List<string>();
        foreach (var target in await kiosk.Locator("#start button, #start .big-choices label, #user, #clinic").AllAsync())
        {
            var box = (await target.BoundingBoxAsync())!;
            if (box.Height < 64 || box.Width < 64)
            {
                small.Add($"{await target.EvaluateAsync<string>("e => e.outerHTML.slice(0, 80)")}: {box.Width:0}x{box.Height:0}");
            }
        }

        Assert.True(small.Count == 0, string.Join('\n', small));
    }

    [Fact]
    public async Task The_ticket_prints_alone_on_80_mm_paper_and_the_kiosk_clears_itself_after_the_idle_time()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        await using var chromium = await Chromium.LaunchAsync();
        // The page's own timers run on Playwright's clock, so the idle time passes without waiting for it.
        var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk?idle=30", "en", Screens.Kiosk, context => context.Clock.InstallAsync());

        foreach (var digit in "24681357")
        {
            await Key(kiosk, digit).ClickAsync();
        }

        await kiosk.Locator("label:has(#gender-male)").ClickAsync();
        await kiosk.ClickAsync("#start-visit");
        await Expect(kiosk.Locator("#ticket")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });
        await kiosk.WaitForFunctionAsync("() => document.getElementById('ticket-qr').naturalWidth > 0", null, new() { Timeout = Ms(Wait) });

        await kiosk.EmulateMediaAsync(new() { Media = Media.Print });
        // Nothing shows but the receipt and what holds it: no bar, no buttons, no form, no message.
        var others = await kiosk.EvaluateAsync<string[]>("""
            () => {
              const receipt = document.getElementById("receipt");
              return [...document.body.querySelectorAll("*")]
                .filter(e => !receipt.contains(e) && !e.contains(receipt))
                .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden")
                .map(e => e.id || e.className || e.tagName);
            }
            """);
        Assert.Empty(others);
        var receipt = (await kiosk.Locator("#receipt").BoundingBoxAsync())!;
        Assert.True(receipt.Width <= PaperPx, $"the receipt is {receipt.Width:0} px wide, more than 80 mm ({PaperPx:0} px)");
        Assert.Equal("rgb(0, 0, 0)", await kiosk.Locator("#ticket-number").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Equal("rgb(0, 0, 0)", await kiosk.Locator("#ticket-clinic").EvaluateAsync<string>("e => getComputedStyle(e).color"));

        // Printed as the page asks (its @page size), the ticket is one page 80 mm wide.
        var pdf = Encoding.Latin1.GetString(await kiosk.PdfAsync(new() { PreferCSSPageSize = true }));
        Assert.Single(PdfPage().Matches(pdf));
        var width = double.Parse(MediaBox().Match(pdf).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"The receipt's page is {width:0.0} pt wide (80 mm is 226.8 pt)");
        Assert.InRange(width, 225, 229);
        await kiosk.EmulateMediaAsync(new() { Media = Media.Screen });

        // Nobody touches the kiosk: the ticket stays for the idle time, then the start comes back, empty.
        await kiosk.Clock.RunForAsync(29_000);
        await Expect(kiosk.Locator("#ticket")).ToBeVisibleAsync();
        await kiosk.Clock.RunForAsync(2_000);
        await Expect(kiosk.Locator("#start")).ToBeVisibleAsync();
        await Expect(kiosk.Locator("#ticket")).ToBeHiddenAsync();
        await Expect(kiosk.Locator("#user")).ToHaveValueAsync("");
        await Expect(kiosk.Locator("#gender-male")).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task The_touch_kiosk_passes_axe_and_is_photographed_in_both_languages_at_kiosk_and_phone_size()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        await using var chromium = await Chromium.LaunchAsync();
        var problems = new List<string>();
        var user = 31415926;

        foreach (var lang in new[] { "ar", "en" })
        {
            foreach (var size in new[] { Screens.Kiosk, Screens.Phone })
            {
                var kiosk = await Screens.OpenAsync(chromium.Browser, host.BaseAddress, "/kiosk", lang, size);
                foreach (var digit in (user++).ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    await Key(kiosk, digit).ClickAsync();
                }

                await kiosk.Locator("label:has(#gender-male)").ClickAsync();
                await kiosk.Locator("label:has(#exam-aviation)").ClickAsync();
                await CheckAsync(kiosk, $"kiosk-touch-{lang}-{size.Name}");
                await kiosk.ClickAsync("#start-visit");
                await Expect(kiosk.Locator("#ticket")).ToBeVisibleAsync(new() { Timeout = Ms(Wait) });
                await kiosk.WaitForFunctionAsync("() => document.getElementById('ticket-qr').naturalWidth > 0", null, new() { Timeout = Ms(Wait) });
                await CheckAsync(kiosk, $"kiosk-touch-ticket-{lang}-{size.Name}");
                if (size == Screens.Kiosk)
                {
                    await kiosk.EmulateMediaAsync(new() { Media = Media.Print });
                    await Screens.ShootAsync(kiosk, $"kiosk-touch-print-{lang}");
                }

                await kiosk.Context.CloseAsync();
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
            foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                problems.Add($"{name}: axe {violation.Impact} {violation.Id}: {violation.Help} at {string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString()))}");
            }

            await Screens.ShootAsync(page, name);
        }
    }

    private static ILocator Key(IPage page, char digit) => page.Locator($"#keypad [data-digit='{digit}']");

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPage();

    [GeneratedRegex(@"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)")]
    private static partial Regex MediaBox();

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
