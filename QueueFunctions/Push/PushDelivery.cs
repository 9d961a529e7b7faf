namespace QueueFunctions.Push;

/// <summary>What a push service did with one push.</summary>
public enum PushDelivery
{
    /// <summary>Accepted (201): the service delivers it when the browser is reachable.</summary>
    Accepted,

    /// <summary>404 or 410: the subscription has ended (unsubscribed, expired, site data cleared) and is removed.</summary>
    Gone,

    /// <summary>Anything else (a 5xx, 429, a network failure): a later delivery of the same change may try again.</summary>
    Failed,
}
