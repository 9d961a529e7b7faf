using System.Buffers.Text;
using Microsoft.Extensions.Options;

namespace QueueFunctions.Configuration;

/// <summary>Refuses to start with push keys that every push service would refuse, or with only half of the pair.</summary>
public sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    public const int PublicKeyBytes = 65;
    public const int PrivateKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, PushOptions options)
    {
        var failures = new List<string>();
        if (options.PublicKey.Length > 0 != options.PrivateKey.Length > 0)
        {
            failures.Add("Push:PublicKey and Push:PrivateKey are set together or not at all.");
        }
        else if (options.IsConfigured)
        {
            if (DecodedLength(options.PublicKey) != PublicKeyBytes || options.PublicKey.Length != 87)
            {
                failures.Add("Push:PublicKey is not an uncompressed P-256 point in base64url (87 characters).");
            }

            if (DecodedLength(options.PrivateKey) != PrivateKeyBytes)
            {
                failures.Add("Push:PrivateKey is not a P-256 private key in base64url (43 characters).");
            }

            if (!options.Subject.StartsWith("mailto:", StringComparison.Ordinal) && !options.Subject.StartsWith("https://", StringComparison.Ordinal))
            {
                failures.Add($"Push:Subject '{options.Subject}' is neither a mailto: nor an https: address.");
            }
        }

        foreach (var host in options.AllowedHosts.Split(',', StringSplitOptions.TrimEntries))
        {
            var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (Uri.CheckHostName(bare) == UriHostNameType.Unknown)
            {
                failures.Add($"Push:AllowedHosts lists '{host}', which is not a host name.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <returns>The decoded length, or -1 when the text is not base64url.</returns>
    public static int DecodedLength(string text)
    {
        try
        {
            return Base64Url.DecodeFromChars(text).Length;
        }
        catch (FormatException)
        {
            return -1;
        }
    }
}
