namespace AlipayHk.Pay;

/// <summary>The state of a payment intent, as the gateway reports it.</summary>
public enum PaymentStatus
{
    /// <summary>
    /// The gateway answered with a status this SDK does not know. The raw text is kept in
    /// <see cref="PaymentIntent.RawStatus"/>. Treat the payment as not paid until a known status arrives.
    /// </summary>
    Unknown = 0,

    /// <summary>Waiting for the shopper to scan and pay (<c>PENDING</c>). No action needed.</summary>
    Pending = 1,

    /// <summary>The shopper paid; the transaction is complete (<c>SUCCEEDED</c>).</summary>
    Succeeded = 2,

    /// <summary>The shopper did not pay in time or the order was closed (<c>CANCELLED</c>). Final.</summary>
    Cancelled = 3,
}
