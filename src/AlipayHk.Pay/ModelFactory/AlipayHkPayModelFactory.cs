using System.Globalization;
using System.Text.Json;

namespace AlipayHk.Pay;

/// <summary>
/// Builds the SDK's result types for your unit tests: a <see cref="PaymentIntent"/> for a mocked
/// <see cref="IAlipayHkPayClient"/>, and the <see cref="ConfirmedWebhook"/> a webhook handler receives, which the SDK
/// otherwise only creates from a verified, confirmed callback.
/// </summary>
/// <remarks>
/// Every value is taken as given, without the checks the gateway or the SDK would make: a test may build states that a
/// real gateway never sends (an unknown status, a refund without ids) to check how a handler copes with them.
/// </remarks>
/// <example>
/// <code>
/// PaymentIntent paid = AlipayHkPayModelFactory.PaymentIntent("C1", "ORDER-1", 38.00m, PaymentStatus.Succeeded);
/// ConfirmedWebhook webhook = AlipayHkPayModelFactory.ConfirmedWebhook(payment: paid);
/// await MyHandler.HandleAsync(webhook, CancellationToken.None);
/// </code>
/// </example>
public static class AlipayHkPayModelFactory
{
    /// <summary>Builds a <see cref="Pay.PaymentIntent"/>, as <see cref="IAlipayHkPayClient"/> returns it.</summary>
    /// <param name="orderId">The gateway's order id.</param>
    /// <param name="merchantOrderId">Your order id.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="status">The status.</param>
    /// <param name="rawStatus">
    /// The status as the gateway sent it; <see langword="null"/> for the gateway's text of <paramref name="status"/>
    /// (<c>PENDING</c>, <c>SUCCEEDED</c>, <c>CANCELLED</c>, or <c>UNKNOWN</c>).
    /// </param>
    /// <param name="currency">The currency; <c>HKD</c> by default.</param>
    /// <param name="createTime">When the order was created.</param>
    /// <param name="payTime">When it was paid; <see langword="null"/> while unpaid.</param>
    /// <param name="nextAction">What to do next, such as the QR code to show; see <see cref="PaymentNextAction"/>.</param>
    /// <param name="requestId">The gateway's <c>rid</c>.</param>
    /// <param name="isRecovered">Whether a create came back through recovery (see <see cref="Pay.PaymentIntent.IsRecovered"/>).</param>
    /// <returns>The payment intent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="orderId"/>, <paramref name="merchantOrderId"/> or <paramref name="currency"/> is null.</exception>
    public static PaymentIntent PaymentIntent(
        string orderId,
        string merchantOrderId,
        decimal amount = 0m,
        PaymentStatus status = PaymentStatus.Pending,
        string? rawStatus = null,
        string currency = "HKD",
        DateTimeOffset createTime = default,
        DateTimeOffset? payTime = null,
        PaymentNextAction? nextAction = null,
        string? requestId = null,
        bool isRecovered = false)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        ArgumentNullException.ThrowIfNull(merchantOrderId);
        ArgumentNullException.ThrowIfNull(currency);
        return new PaymentIntent
        {
            OrderId = orderId,
            MerchantOrderId = merchantOrderId,
            Amount = amount,
            Currency = currency,
            Status = status,
            RawStatus = rawStatus ?? RawStatusOf(status),
            CreateTime = createTime,
            PayTime = payTime,
            NextAction = nextAction,
            RequestId = requestId,
            IsRecovered = isRecovered,
        };
    }

    /// <summary>Builds the typed fields of a refund callback.</summary>
    /// <param name="succeeded"><see langword="true"/> for <c>refund_success</c>, <see langword="false"/> for <c>refund_failed</c>.</param>
    /// <param name="refundId">The gateway's refund id.</param>
    /// <param name="merchantRefundId">Your refund id.</param>
    /// <param name="orderAmount">The refunded order's amount.</param>
    /// <param name="createTime">When the refund was created.</param>
    /// <param name="refundTime">When the refund was made.</param>
    /// <param name="uid">The merchant number.</param>
    /// <returns>The refund, for the <c>refund</c> argument of <see cref="WebhookNotification"/>.</returns>
    public static WebhookRefund WebhookRefund(
        bool succeeded = true,
        string? refundId = null,
        string? merchantRefundId = null,
        decimal? orderAmount = null,
        DateTimeOffset? createTime = null,
        DateTimeOffset? refundTime = null,
        string? uid = null) => new()
        {
            Succeeded = succeeded,
            RefundId = refundId,
            MerchantRefundId = merchantRefundId,
            OrderAmount = orderAmount,
            CreateTime = createTime,
            RefundTime = refundTime,
            Uid = uid,
        };

    /// <summary>Builds a verified callback, as <see cref="IAlipayHkPayWebhookVerifier"/> parses it.</summary>
    /// <param name="notifyType">
    /// The <c>notify_type</c>; <see langword="null"/> for <c>payment_success</c>, or, when <paramref name="refund"/> is
    /// given, <c>refund_success</c> or <c>refund_failed</c> after its <see cref="WebhookRefund.Succeeded"/>.
    /// </param>
    /// <param name="orderId">The <c>data.order_id</c>.</param>
    /// <param name="merchantOrderId">The <c>data.merchant_order_id</c>.</param>
    /// <param name="refund">The refund fields, for a refund callback.</param>
    /// <param name="dataJson">
    /// The raw <c>data</c> object, as <see cref="WebhookNotification.Data"/> returns it; <see langword="null"/> to build
    /// it from the other arguments (<c>order_id</c>, <c>merchant_order_id</c> and the refund's fields, those not null).
    /// </param>
    /// <returns>The notification. Its <see cref="WebhookNotification.Status"/> is <see cref="PaymentStatus.Succeeded"/> for <c>payment_success</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="notifyType"/> is empty, or <paramref name="dataJson"/> is not a JSON object.</exception>
    public static WebhookNotification WebhookNotification(
        string? notifyType = null,
        string? orderId = null,
        string? merchantOrderId = null,
        WebhookRefund? refund = null,
        string? dataJson = null)
    {
        string type = notifyType ?? (refund is null ? WebhookNotifyTypes.PaymentSuccess
            : refund.Succeeded ? WebhookNotifyTypes.RefundSuccess : WebhookNotifyTypes.RefundFailed);
        ArgumentException.ThrowIfNullOrEmpty(type, nameof(notifyType));
        byte[] data = dataJson is null ? DataOf(orderId, merchantOrderId, refund) : ValidatedData(dataJson);
        return new WebhookNotification(type, data, jsonIsBody: false)
        {
            OrderId = orderId,
            MerchantOrderId = merchantOrderId,
            Status = type == WebhookNotifyTypes.PaymentSuccess ? PaymentStatus.Succeeded : PaymentStatus.Unknown,
            Refund = refund,
        };
    }

    /// <summary>Builds what a webhook handler receives (<c>MapAlipayHkPayWebhook</c>, <see cref="IAlipayHkPayWebhookProcessor"/>).</summary>
    /// <param name="notification">
    /// What the callback claimed; <see langword="null"/> for a <c>payment_success</c> naming <paramref name="payment"/>'s order.
    /// </param>
    /// <param name="payment">
    /// The payment as the gateway confirmed it: what the handler should act on. <see langword="null"/> for a refund
    /// callback, which the gateway cannot confirm.
    /// </param>
    /// <param name="deduplicationKey">
    /// The key of the confirmed outcome; <see langword="null"/> for the SDK's own: <c>payment:{order id}:{RAW STATUS}</c>
    /// for a payment, <c>{notify type}:{refund id}</c> for a refund.
    /// </param>
    /// <param name="merchantName">The merchant registration's name; <see langword="null"/> for the default, unnamed one.</param>
    /// <returns>The confirmed webhook.</returns>
    /// <exception cref="ArgumentException">Both <paramref name="notification"/> and <paramref name="payment"/> are null.</exception>
    public static ConfirmedWebhook ConfirmedWebhook(
        WebhookNotification? notification = null,
        PaymentIntent? payment = null,
        string? deduplicationKey = null,
        string? merchantName = null)
    {
        if (notification is null && payment is null)
        {
            throw new ArgumentException("Give the notification, the confirmed payment, or both.", nameof(notification));
        }

        notification ??= WebhookNotification(orderId: payment!.OrderId, merchantOrderId: payment.MerchantOrderId);
        string key = deduplicationKey
            ?? (payment is not null ? DeduplicationKeys.ForPayment(payment)
                : notification.Refund is { } refund ? DeduplicationKeys.ForRefund(notification.NotifyType, refund)
                : $"{notification.NotifyType}:{notification.OrderId ?? notification.MerchantOrderId}");
        return new ConfirmedWebhook(notification, payment, key, merchantName);
    }

    private static string RawStatusOf(PaymentStatus status) => status switch
    {
        PaymentStatus.Pending => "PENDING",
        PaymentStatus.Succeeded => "SUCCEEDED",
        PaymentStatus.Cancelled => "CANCELLED",
        _ => "UNKNOWN",
    };

    private static byte[] ValidatedData(string dataJson)
    {
        try
        {
            using var document = JsonDocument.Parse(dataJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"dataJson must be a JSON object; got a JSON {document.RootElement.ValueKind}.", nameof(dataJson));
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"dataJson is not valid JSON: {ex.Message}", nameof(dataJson), ex);
        }

        return System.Text.Encoding.UTF8.GetBytes(dataJson);
    }

    private static byte[] DataOf(string? orderId, string? merchantOrderId, WebhookRefund? refund)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteIfSet(writer, "order_id", orderId);
            WriteIfSet(writer, "merchant_order_id", merchantOrderId);
            if (refund is not null)
            {
                WriteIfSet(writer, "refund_id", refund.RefundId);
                WriteIfSet(writer, "merchant_refund_id", refund.MerchantRefundId);
                WriteIfSet(writer, "order_amount", refund.OrderAmount?.ToString(CultureInfo.InvariantCulture));
                WriteIfSet(writer, "create_time", refund.CreateTime?.ToString("O", CultureInfo.InvariantCulture));
                WriteIfSet(writer, "refund_time", refund.RefundTime?.ToString("O", CultureInfo.InvariantCulture));
                WriteIfSet(writer, "uid", refund.Uid);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
