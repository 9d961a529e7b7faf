using System.Buffers.Text;
using System.Security.Cryptography;

namespace QueueFunctions.Tests.Support.Push;

/// <summary>A fresh VAPID key pair for the app under test, in the settings' base64url form.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey)
{
    public static VapidKeyPair New()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(includePrivateParameters: true);
        return new VapidKeyPair(Base64Url.EncodeToString([0x04, .. p.Q.X!, .. p.Q.Y!]), Base64Url.EncodeToString(p.D));
    }

    /// <summary>The settings that switch push on, with the loopback receiver allowed.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Push:PublicKey"] = PublicKey,
        ["Push:PrivateKey"] = PrivateKey,
        ["Push:Subject"] = "mailto:test@clinic.example",
        ["Push:AllowedHosts"] = "127.0.0.1,localhost",
    };
}
