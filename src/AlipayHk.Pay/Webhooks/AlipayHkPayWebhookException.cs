namespace AlipayHk.Pay;

/// <summary>
/// A webhook callback was rejected: it is too large, unsigned, signed with another key, or not a callback the SDK
/// can read. <see cref="Reason"/> says which; the message says how to fix it and never carries the key.
/// </summary>
public class AlipayHkPayWebhookException : AlipayHkPayException
{
    /// <summary>Creates an exception for a rejected callback.</summary>
    /// <param name="reason">Why the callback was rejected.</param>
    /// <param name="message">What went wrong and how to fix it. Must not carry a secret.</param>
    public AlipayHkPayWebhookException(WebhookFailureReason reason, string message)
        : this(reason, message, null)
    {
    }

    /// <summary>Creates an exception for a rejected callback, with the failure that caused it.</summary>
    /// <param name="reason">Why the callback was rejected.</param>
    /// <param name="message">What went wrong and how to fix it. Must not carry a secret.</param>
    /// <param name="innerException">The failure that caused this one (for example a JSON parse error), or <see langword="null"/>.</param>
    public AlipayHkPayWebhookException(WebhookFailureReason reason, string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the callback was rejected.</summary>
    public WebhookFailureReason Reason { get; }
}
