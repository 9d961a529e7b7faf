using Microsoft.Playwright;
using QueueFunctions.LocalHost.Storage;

namespace QueueFunctions.Tests.Browser;

/// <summary>Opening the app's screens in Chromium, in a language and at a size, and keeping their screenshots.</summary>
public static class Screens
{
    /// <summary>The narrowest phones in use.</summary>
    public static readonly (string Name, int Width, int Height) Phone = ("phone", 320, 720);
    public static readonly (string Name, int Width, int Height) Kiosk = ("kiosk", 1080, 1920);
    public static readonly (string Name, int Width, int Height) Tv = ("tv", 1920, 1080);

    /// <summary>A common office laptop: the manager's overview is read on one as often as on a TV.</summary>
    public static readonly (string Name, int Width, int Height) Laptop = ("laptop", 1366, 768);

    /// <summary>Where screenshots go: <c>SCREENSHOT_DIR</c>, else <c>test-output/screenshots</c> at the repository root.</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("SCREENSHOT_DIR") is { Length: > 0 } dir
        ? dir
        : Path.Combine(AzuriteProcess.FindRepositoryRoot() ?? Path.GetTempPath(), "test-output", "screenshots");

    /// <summary>
    /// A fresh browser context (its own storage) at a size and in a language, on the app. <paramref name="prepare"/>
    /// runs on the context before the page opens, for init scripts or a clock that must be there before the page's own.
    /// </summary>
    public static async Task<IPage> OpenAsync(
        IBrowser browser, Uri app, string path, string lang, (string Name, int Width, int Height) size, Func<IBrowserContext, Task>? prepare = null)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = app.ToString(),
            ViewportSize = new() { Width = size.Width, Height = size.Height },
        });
        // The language choice is remembered in the browser; set it before any page script runs.
        await context.AddInitScriptAsync($"window.localStorage.setItem('queue.lang', '{lang}');");
        if (prepare is not null)
        {
            await prepare(context);
        }

        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.EvaluateAsync("document.fonts.ready");
        return page;
    }

    public static async Task<string> ShootAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var file = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.EvaluateAsync("document.fonts.ready");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        return file;
    }
}
