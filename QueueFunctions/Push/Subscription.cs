namespace QueueFunctions.Push;

/// <summary>
/// One browser's Web Push subscription for one patient on one service day, as the page sent it (RFC 8030 endpoint,
/// RFC 8291 keys in base64url).
/// </summary>
/// <param name="P256dh">The browser's P-256 public key (65-byte uncompressed point).</param>
/// <param name="Auth">The browser's 16-byte authentication secret.</param>
public sealed record Subscription(string User, Uri Endpoint, string P256dh, string Auth, string Lang);
