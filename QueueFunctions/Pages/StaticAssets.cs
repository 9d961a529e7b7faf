using System.Collections.Frozen;

namespace QueueFunctions.Pages;

/// <summary>
/// The pages' files, shipped in the app's <c>wwwroot</c> and read once. Only files that exist there can be served:
/// a request names a file, never a path, so nothing outside the folder is reachable.
/// </summary>
public sealed class StaticAssets
{
    private static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".woff2"] = "font/woff2",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".txt"] = "text/plain; charset=utf-8",
        [".wav"] = "audio/wav",
    };

    private readonly FrozenDictionary<string, Asset> pages;
    private readonly FrozenDictionary<string, Asset> assets;

    public StaticAssets()
        : this(Path.Combine(AppContext.BaseDirectory, "wwwroot"))
    {
    }

    public StaticAssets(string root)
    {
        pages = Load(Path.Combine(root, "pages"));
        assets = Load(Path.Combine(root, "assets"));
    }

    public Asset? Page(string name) => pages.GetValueOrDefault(name + ".html");

    public Asset? AssetNamed(string name) => assets.GetValueOrDefault(name);

    private static FrozenDictionary<string, Asset> Load(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder)
                .Where(f => ContentTypes.ContainsKey(Path.GetExtension(f)))
                .ToFrozenDictionary(f => Path.GetFileName(f)!, f => new Asset(File.ReadAllBytes(f), ContentTypes[Path.GetExtension(f)]), StringComparer.Ordinal)
            : FrozenDictionary<string, Asset>.Empty;
}

public sealed record Asset(byte[] Content, string ContentType);
