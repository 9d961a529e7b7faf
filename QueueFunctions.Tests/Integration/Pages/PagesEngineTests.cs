using System.Text.RegularExpressions;
using QueueFunctions.LocalHost.Storage;
using QueueFunctions.Pages;
using QueueFunctions.Tests.Support.Engine;

namespace QueueFunctions.Tests.Integration.Pages;

/// <summary>The screens as the app serves them, over real HTTP: headers, no inline code, only the app's own files.</summary>
[Collection(EngineCollection.Name)]
public sealed partial class PagesEngineTests(AzuriteFixture azurite)
{
    private static readonly string[] Pages = ["/kiosk", "/display?clinic=lab,xray", "/clinic?clinic=lab", "/ticket?user=12345678"];

    [GeneratedRegex("""<script(?![^>]*\bsrc=)(?![^>]*type="application/json")""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("""\sstyle\s*=|\son[a-z]+\s*=|<style""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();

    [GeneratedRegex("(?:src|href)\\s*=\\s*\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [Fact]
    public async Task Every_page_and_file_carries_the_security_headers_and_pages_hold_no_inline_code_or_foreign_file()
    {
        await using var host = await azurite.StartQueueAppAsync(AzuriteFixture.NewTaskHubName());
        using var http = host.NewHttp();
        var files = new HashSet<string>();

        foreach (var page in Pages)
        {
            using var response = await http.GetAsync(page);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            AssertSecurityHeaders(response, page);
            Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", html);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(InlineStyleOrHandler(), html);
            Assert.DoesNotContain("<!--", html.Replace("<!doctype", "", StringComparison.OrdinalIgnoreCase), StringComparison.Ordinal);
            foreach (Match reference in Reference().Matches(html))
            {
                Assert.StartsWith("/assets/", reference.Groups[1].Value);
                files.Add(reference.Groups[1].Value);
            }
        }

        // Every file the app ships, including the modules the pages' scripts import, the fonts and the stylesheet: each
        // from the app, with the same headers.
        var assets = Path.Combine(AzuriteProcess.FindRepositoryRoot()!, "QueueFunctions", "wwwroot", "assets");
        files.UnionWith(Directory.EnumerateFiles(assets).Select(f => "/assets/" + Path.GetFileName(f)));
        Assert.Contains("/assets/common.js", files);
        foreach (var file in files)
        {
            using var response = await http.GetAsync(file);
            Assert.True((int)response.StatusCode == 200, $"{file} answered {(int)response.StatusCode}");
            AssertSecurityHeaders(response, file);
            if (file.EndsWith(".js", StringComparison.Ordinal))
            {
                var script = await response.Content.ReadAsStringAsync();
                Assert.DoesNotMatch("https?://(?!www\\.w3\\.org/2000/svg)", script);
                Assert.DoesNotContain("localStorage.setItem(KEY", script, StringComparison.Ordinal);
            }
        }

        using var qr = await http.GetAsync("/qr?user=12345678");
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(qr, "/qr");
        using var traversal = await http.GetAsync("/assets/..%2Fpages%2Fkiosk.html");
        Assert.Equal(404, (int)traversal.StatusCode);
        using var badQr = await http.GetAsync("/qr?user=%0A");
        Assert.Equal(400, (int)badQr.StatusCode);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what} has no Content-Security-Policy");
        Assert.Equal(PageSecurity.ContentSecurityPolicy, Assert.Single(csp));
        Assert.DoesNotContain("unsafe-inline", PageSecurity.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}
