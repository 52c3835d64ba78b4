namespace AlipayHk.Pay;

/// <summary>
/// The fields of a refund callback (<c>refund_success</c> or <c>refund_failed</c>), typed. A field the gateway did
/// not send, or sent in a form the SDK cannot read, is <see langword="null"/>; the raw value stays in
/// <see cref="WebhookNotification.Data"/>.
/// </summary>
public sealed class WebhookRefund
{
    internal WebhookRefund()
    {
    }

    /// <summary>Whether the refund went through: <see langword="true"/> for <c>refund_success</c>, <see langword="false"/> for <c>refund_failed</c>.</summary>
    public bool Succeeded { get; internal init; }

    /// <summary>The gateway's refund id (<c>refund_id</c>).</summary>
    public string? RefundId { get; internal init; }

    /// <summary>The merchant's refund id (<c>merchant_refund_id</c>).</summary>
    public string? MerchantRefundId { get; internal init; }

    /// <summary>The amount of the refunded order (<c>order_amount</c>).</summary>
    public decimal? OrderAmount { get; internal init; }

    /// <summary>When the refund was created (<c>create_time</c>).</summary>
    public DateTimeOffset? CreateTime { get; internal init; }

    /// <summary>When the refund was made (<c>refund_time</c>).</summary>
    public DateTimeOffset? RefundTime { get; internal init; }

    /// <summary>The merchant number the refund belongs to (<c>uid</c>), as text even when the gateway sends a number.</summary>
    public string? Uid { get; internal init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"WebhookRefund {RefundId} (merchant refund {MerchantRefundId}): {(Succeeded ? "succeeded" : "failed")}";
}
