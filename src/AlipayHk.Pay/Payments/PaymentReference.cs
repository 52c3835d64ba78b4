namespace AlipayHk.Pay;

/// <summary>Names one payment: by the gateway's order id, or by the merchant's own order id.</summary>
public sealed class PaymentReference
{
    private PaymentReference(string? orderId, string? merchantOrderId)
    {
        OrderId = orderId;
        MerchantOrderId = merchantOrderId;
    }

    /// <summary>The gateway's order id, when the reference was made with <see cref="ByOrderId"/>.</summary>
    public string? OrderId { get; }

    /// <summary>The merchant's order id, when the reference was made with <see cref="ByMerchantOrderId"/>.</summary>
    public string? MerchantOrderId { get; }

    /// <summary>Refers to a payment by the gateway's order id (<see cref="PaymentIntent.OrderId"/>).</summary>
    /// <param name="orderId">1 to 32 printable ASCII characters.</param>
    /// <exception cref="ArgumentException"><paramref name="orderId"/> is empty, too long or not printable ASCII.</exception>
    public static PaymentReference ByOrderId(string orderId)
    {
        PaymentValidation.EnsureOrderId(orderId, nameof(orderId));
        return new PaymentReference(orderId, null);
    }

    /// <summary>Refers to a payment by the merchant's own order id (<see cref="CreatePaymentRequest.MerchantOrderId"/>).</summary>
    /// <param name="merchantOrderId">1 to 32 printable ASCII characters.</param>
    /// <exception cref="ArgumentException"><paramref name="merchantOrderId"/> is empty, too long or not printable ASCII.</exception>
    public static PaymentReference ByMerchantOrderId(string merchantOrderId)
    {
        PaymentValidation.EnsureOrderId(merchantOrderId, nameof(merchantOrderId));
        return new PaymentReference(null, merchantOrderId);
    }

    /// <inheritdoc />
    public override string ToString() =>
        OrderId is not null ? $"order_id={OrderId}" : $"merchant_order_id={MerchantOrderId}";
}
