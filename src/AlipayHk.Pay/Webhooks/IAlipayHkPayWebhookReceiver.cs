namespace AlipayHk.Pay;

/// <summary>
/// Receives the gateway's callbacks for one merchant, the same way on every web host: reads the raw body (at most
/// <see cref="AlipayHkPayOptions.MaxWebhookBodyBytes"/>), verifies it once, answers a re-delivery of an outcome already
/// handled from the duplicate store (no gateway query), confirms the payment with the gateway, claims the outcome in the
/// duplicate store, runs the handler, and says what to answer (<see cref="WebhookReceipt"/>). Registered by
/// <c>AddAlipayHkPay</c> (a keyed service for a named merchant). <c>MapAlipayHkPayWebhook</c> (ASP.NET Core) is built on
/// it; on ASP.NET (System.Web), call it from an <c>IHttpHandler</c> (see the repository's docs/netframework.md).
/// </summary>
/// <remarks>
/// Every delivery is counted once on <c>alipayhk.webhook.deliveries</c>. Rejections are logged summarised: the first
/// of each kind, then a count per minute, so a flood of forged callbacks cannot flood the logs.
/// </remarks>
public interface IAlipayHkPayWebhookReceiver
{
    /// <summary>
    /// The largest body accepted now (<see cref="AlipayHkPayOptions.MaxWebhookBodyBytes"/>): set the server's request
    /// size limit for the endpoint to one byte more, so that it stops reading a larger body once it has been answered.
    /// </summary>
    int MaxBodyBytes { get; }

    /// <summary>Receives one callback.</summary>
    /// <param name="body">The request body, read as it arrives; it is read at most one byte past the limit.</param>
    /// <param name="contentLength">The request's declared length, when it has one: a body declared too large is refused unread.</param>
    /// <param name="header">Reads a request header by name (the signature header's name comes from the options).</param>
    /// <param name="handler">
    /// Acts on a confirmed callback: check <see cref="ConfirmedWebhook.Payment"/>'s status. Throw to have the gateway
    /// deliver it again. With outcomes on (<c>AddAlipayHkPayOutcomes</c>), a payment's final outcome goes to the outcome
    /// handler instead, and this one gets the rest (refunds); it may then be <see langword="null"/>.
    /// </param>
    /// <param name="cancellationToken">The request's abort token.</param>
    /// <returns>What to answer: write <see cref="WebhookReceipt.StatusCode"/> and <see cref="WebhookReceipt.Text"/> unless the response has started.</returns>
    Task<WebhookReceipt> ReceiveAsync(
        Stream body,
        long? contentLength,
        Func<string, string?> header,
        Func<ConfirmedWebhook, CancellationToken, Task>? handler,
        CancellationToken cancellationToken = default);
}
