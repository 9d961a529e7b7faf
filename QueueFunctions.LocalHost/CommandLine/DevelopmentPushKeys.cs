using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace QueueFunctions.LocalHost.CommandLine;

/// <summary>
/// A development VAPID key pair, so a fresh clone's patient page can subscribe to Web Push with no setup: made on the
/// first run and kept in <c>QueueFunctions/local.settings.json</c> (gitignored, as Core Tools reads it too), so
/// browsers' subscriptions survive restarts. Never committed, never used beyond this machine.
/// </summary>
public static class DevelopmentPushKeys
{
    public const string PublicKey = "Push:PublicKey";
    public const string PrivateKey = "Push:PrivateKey";

    /// <summary>The pair for this run: nothing when the run sets its own keys, else the kept pair, made if absent.</summary>
    public static IReadOnlyDictionary<string, string?> For(IConfiguration config, string? repo, Action<string> progress)
    {
        if (!string.IsNullOrEmpty(config[PublicKey]) || !string.IsNullOrEmpty(config[PrivateKey]) || repo is null)
        {
            return new Dictionary<string, string?>();
        }

        var (publicKey, privateKey, made) = Ensure(SettingsFile(repo));
        if (made)
        {
            progress($"Web Push: made a development key pair in {SettingsFile(repo)}.");
        }

        return new Dictionary<string, string?> { [PublicKey] = publicKey, [PrivateKey] = privateKey };
    }

    public static string SettingsFile(string repo) => Path.Combine(repo, LocalHostProgram.AppAssemblyName, "local.settings.json");

    /// <summary>Reads the pair from the settings file, adding a new one (and the file, from the sample) when it has none.</summary>
    public static (string PublicKey, string PrivateKey, bool Made) Ensure(string file)
    {
        var root = File.Exists(file)
            ? JsonNode.Parse(File.ReadAllText(file))!.AsObject()
            : Sample(file);
        var values = root["Values"] as JsonObject ?? (JsonObject)(root["Values"] = new JsonObject());
        if (values["Push__PublicKey"]?.GetValue<string>() is { Length: > 0 } kept && values["Push__PrivateKey"]?.GetValue<string>() is { Length: > 0 } secret)
        {
            return (kept, secret, false);
        }

        var (publicKey, privateKey) = NewPair();
        values["Push__PublicKey"] = publicKey;
        values["Push__PrivateKey"] = privateKey;
        File.WriteAllText(file, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return (publicKey, privateKey, true);
    }

    /// <summary>A P-256 pair as VAPID settings take it: the uncompressed public point and the private scalar, base64url.</summary>
    public static (string PublicKey, string PrivateKey) NewPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        return (Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64Url.EncodeToString(parameters.D));
    }

    /// <summary>The repository's sample settings, so the file Core Tools also reads starts complete.</summary>
    private static JsonObject Sample(string file)
    {
        var sample = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(file)!)!, "local.settings.sample.json");
        return File.Exists(sample) ? JsonNode.Parse(File.ReadAllText(sample))!.AsObject() : new JsonObject { ["IsEncrypted"] = false };
    }
}
