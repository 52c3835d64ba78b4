using System.Net;

namespace AlipayHk.Pay;

/// <summary>
/// No access token could be obtained: the gateway refused <c>Uid</c> and <c>ClientSecret</c>, or did not
/// answer. Check those settings; the secret itself is never part of the message.
/// </summary>
public class AlipayHkPayAuthenticationException : AlipayHkPayException
{
    /// <summary>Creates an exception for a failed token request.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="requestId">The gateway's request id, when known.</param>
    /// <param name="statusCode">The HTTP status, when a response arrived.</param>
    /// <param name="innerException">The failure that caused this one, or <see langword="null"/>.</param>
    public AlipayHkPayAuthenticationException(string message, string? requestId, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, requestId, statusCode, innerException)
    {
    }
}
