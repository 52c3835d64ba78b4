using System.Net;

namespace AlipayHk.Pay;

/// <summary>
/// A call to the Alipay HK gateway failed. The base of every exception the SDK raises for a gateway
/// failure; catch it to handle them all.
/// </summary>
/// <remarks>
/// Quote <see cref="RequestId"/> to the gateway's support: it is the gateway's <c>rid</c>. Messages never
/// carry the client secret, an access token or the webhook key.
/// </remarks>
public class AlipayHkPayException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AlipayHkPayException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the failure that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The failure that caused this one, or <see langword="null"/>.</param>
    public AlipayHkPayException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that carries what the gateway said.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="requestId">The gateway's request id (<c>rid</c>), when known.</param>
    /// <param name="statusCode">The HTTP status, when a response arrived.</param>
    /// <param name="innerException">The failure that caused this one, or <see langword="null"/>.</param>
    public AlipayHkPayException(string message, string? requestId, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        RequestId = requestId;
        StatusCode = statusCode;
    }

    /// <summary>The gateway's request id (<c>rid</c>), or <see langword="null"/> when no envelope came back.</summary>
    public string? RequestId { get; }

    /// <summary>The HTTP status of the gateway's response, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>
    /// Whether the failure may not recur, so that the same call may be tried again later: no response, a timeout,
    /// HTTP 408, 429 or 5xx, a response that could not be read, or a create the gateway is known not to have (see
    /// docs/payments.md, "Retries, and why a create is never duplicated"). A retry of a create must keep its
    /// <see cref="CreatePaymentRequest.MerchantOrderId"/>.
    /// </summary>
    public bool IsTransient { get; internal init; }

    /// <summary>The <c>error.type</c> telemetry reports for this failure, when the type alone does not tell (for example <c>not_created</c>).</summary>
    internal string? ErrorType { get; init; }
}
