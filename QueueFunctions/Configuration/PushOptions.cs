using System.ComponentModel.DataAnnotations;

namespace QueueFunctions.Configuration;

/// <summary>
/// The <c>Push:*</c> app settings: the app's VAPID key pair and contact, and which push services it may post to. Push is
/// off (its routes answer <c>404 PUSH_NOT_CONFIGURED</c> and no <c>push-events</c> are sent) until both keys are set.
/// </summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>The push services of Chrome/Edge/Android, Firefox, Windows and Safari/iOS: the only hosts browsers hand out.</summary>
    public const string DefaultAllowedHosts = "fcm.googleapis.com,updates.push.services.mozilla.com,*.notify.windows.com,*.push.apple.com";

    /// <summary>The VAPID public key: an uncompressed P-256 point, base64url (87 characters).</summary>
    public string PublicKey { get; set; } = string.Empty;

    /// <summary>The VAPID private key: the P-256 scalar, base64url (43 characters). A secret (Key Vault in Azure).</summary>
    public string PrivateKey { get; set; } = string.Empty;

    /// <summary>Who runs the app, for the push services to reach: <c>mailto:</c> or <c>https:</c>.</summary>
    public string Subject { get; set; } = "mailto:it@clinic.example";

    /// <summary>
    /// Comma-separated hosts a subscription's endpoint may name; <c>*.</c> allows sub-domains. The app posts to the
    /// endpoint a client gives, so anything else is refused rather than posted to (server-side request forgery).
    /// </summary>
    public string AllowedHosts { get; set; } = DefaultAllowedHosts;

    /// <summary>The Azure Table of the day's subscriptions and of the alerts already sent.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string TableName { get; set; } = "pushsubscriptions";

    /// <summary>Subscriptions one user keeps in a day; one more replaces their oldest, so no client fills the table.</summary>
    [Range(1, 50)]
    public int MaxSubscriptionsPerUser { get; set; } = 5;

    public bool IsConfigured => PublicKey.Length > 0 && PrivateKey.Length > 0;
}
