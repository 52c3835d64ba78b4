namespace AlipayHk.Pay.Testing;

/// <summary>A failure the simulator can inject with <see cref="AlipayHkGatewaySimulator.FailNext"/>.</summary>
public enum SimulatedFault
{
    /// <summary>HTTP 503 with an HTML body, as from a load balancer. The request is not processed.</summary>
    ServerError = 0,

    /// <summary>
    /// The request is processed (a create does create the order), then the response is held back for
    /// <see cref="AlipayHkGatewaySimulatorOptions.TimeoutFaultDelay"/>, past the client's timeout. The outcome is
    /// "unknown" to the client, which is what this fault is for.
    /// </summary>
    Timeout = 1,

    /// <summary>The connection is aborted before any response is sent. The request is not processed.</summary>
    ConnectionReset = 2,

    /// <summary>The request is processed, then answered HTTP 200 with a body that is not JSON.</summary>
    MalformedBody = 3,

    /// <summary>HTTP 401, as for a token the gateway no longer accepts. The request is not processed.</summary>
    Unauthorized = 4,

    /// <summary>
    /// The request is processed (a create does create the order), then answered HTTP 502 with an HTML body, as from a
    /// proxy that lost the gateway's answer. The client cannot tell whether the order exists: the lost-answer case.
    /// </summary>
    BadGatewayAfterProcessing = 5,
}
