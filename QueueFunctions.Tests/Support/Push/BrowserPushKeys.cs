using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace QueueFunctions.Tests.Support.Push;

/// <summary>
/// What a browser holds for one push subscription: its P-256 key pair and auth secret. It decrypts what the app sent
/// exactly as the browser would (RFC 8291 over RFC 8188 aes128gcm), written out here from the RFCs so the test does not
/// trust the library the app sends with.
/// </summary>
public sealed class BrowserPushKeys : IDisposable
{
    private readonly ECDiffieHellman key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public byte[] AuthSecret { get; } = RandomNumberGenerator.GetBytes(16);

    public byte[] PublicPoint
    {
        get
        {
            var q = key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    public string P256dh => Base64Url.EncodeToString(PublicPoint);

    public string Auth => Base64Url.EncodeToString(AuthSecret);

    /// <summary>Decrypts one aes128gcm body (a single record, as a push is).</summary>
    public string Decrypt(byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        int idLength = body[20];
        var serverPoint = body[21..(21 + idLength)];
        var record = body[(21 + idLength)..];
        Assert.True(record.Length <= recordSize, "A push is one record.");

        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = serverPoint[1..33], Y = serverPoint[33..65] },
        });
        var shared = key.DeriveRawSecretAgreement(server.PublicKey);

        // RFC 8291 section 3.4: the auth secret and both public keys go into the input keying material.
        var keyInfo = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(PublicPoint).Concat(serverPoint).ToArray();
        var ikm = HKDF.Expand(HashAlgorithmName.SHA256, HKDF.Extract(HashAlgorithmName.SHA256, shared, AuthSecret), 32, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));

        var plain = new byte[record.Length - 16];
        using (var gcm = new AesGcm(cek, 16))
        {
            gcm.Decrypt(nonce, record[..^16], record[^16..], plain);
        }

        // RFC 8188: the last record ends with the delimiter 2, then any zero padding.
        var end = Array.FindLastIndex(plain, b => b != 0);
        Assert.Equal(2, plain[end]);
        return Encoding.UTF8.GetString(plain, 0, end);
    }

    public void Dispose() => key.Dispose();
}
