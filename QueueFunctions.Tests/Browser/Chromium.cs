using Microsoft.Playwright;

namespace QueueFunctions.Tests.Browser;

/// <summary>
/// Debian's chromium, driven through Playwright's own driver (shipped in the NuGet package). Nothing is downloaded:
/// the browser is the system's <c>/usr/bin/chromium</c>, which <c>.ci/run</c> installs.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Starts headless chromium; a machine without it fails the test (CI installs it), it is not skipped.</summary>
    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail(
                $"The browser tests need Debian's chromium at {ExecutablePath}, which is not installed. " +
                "Install it with `apt-get update && apt-get install -y chromium` (.ci/run does this).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                ],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright.Dispose();
    }
}
