namespace AlipayHk.Pay.Testing;

/// <summary>Which of the gateway's endpoints a request went to, or a fault applies to.</summary>
public enum SimulatedEndpoint
{
    /// <summary>Any endpoint (for faults); a path the gateway does not serve (in the journal).</summary>
    Any = 0,

    /// <summary><c>GET /mch-api/v1/auth</c>: the token request.</summary>
    Auth = 1,

    /// <summary><c>POST /mch-api/v1/pa/payment_intents/create</c>.</summary>
    Create = 2,

    /// <summary><c>POST /mch-api/v1/pa/payment_intents/query</c>.</summary>
    Query = 3,
}
