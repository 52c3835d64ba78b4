namespace AlipayHk.Pay.Testing.Gateway.Internal;

/// <summary>The envelope's error codes: the simulator's own, as the gateway publishes no table.</summary>
internal static class GatewayCodes
{
    /// <summary>A request the gateway would refuse: a bad body or parameter.</summary>
    public const int InvalidParameter = 40001;

    /// <summary>A merchant order id that is already taken.</summary>
    public const int DuplicateOrder = 40002;

    /// <summary>A payment the merchant does not have.</summary>
    public const int OrderNotFound = 40004;

    /// <summary>A missing, unknown or expired bearer token.</summary>
    public const int InvalidToken = 40100;

    /// <summary>A wrong uid or client secret.</summary>
    public const int InvalidCredentials = 40101;
}
