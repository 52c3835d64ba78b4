namespace AlipayHk.Pay;

/// <summary>Why a webhook callback was rejected: see <see cref="AlipayHkPayWebhookException.Reason"/>.</summary>
public enum WebhookFailureReason
{
    /// <summary>No reason: the default value. The SDK never raises an exception with it.</summary>
    Unknown = 0,

    /// <summary>The signature header is absent, empty or only ASCII white space. The ASP.NET Core endpoint answers 401.</summary>
    MissingSignature = 1,

    /// <summary>
    /// The signature does not match the body and the key: a wrong key, a body altered on its way (a proxy or
    /// middleware), a body that was re-serialized instead of read raw, or a forged call. The endpoint answers 401.
    /// </summary>
    SignatureMismatch = 2,

    /// <summary>The body is signed correctly but is not a callback the SDK can read (not UTF-8, not JSON, truncated, too deeply nested, fields missing). The endpoint answers 400.</summary>
    MalformedPayload = 3,

    /// <summary>The body is larger than <see cref="AlipayHkPayOptions.MaxWebhookBodyBytes"/>. The endpoint answers 413.</summary>
    TooLarge = 4,

    /// <summary>The body did not arrive whole: the caller hung up, or sent it too slowly for the server. Nothing is verified; the gateway delivers it again.</summary>
    IncompleteBody = 5,
}
