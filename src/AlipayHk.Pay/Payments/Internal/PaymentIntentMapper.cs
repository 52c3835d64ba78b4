using AlipayHk.Pay.Payments;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay;

/// <summary>Maps the gateway's <c>data</c> to <see cref="PaymentIntent"/>. Lenient: an odd field is logged, never fatal.</summary>
internal static class PaymentIntentMapper
{
    internal static PaymentIntent ToIntent(PaymentIntentData data, string? requestId, ILogger logger, bool recovered = false)
    {
        string orderId = data.OrderId ?? string.Empty;
        if (!AmountFormat.TryParse(data.Amount, out decimal amount))
        {
            Log.UnreadableField(logger, orderId, "amount", data.Amount);
        }

        if (!GatewayTime.TryParse(data.CreateTime, out DateTimeOffset createTime))
        {
            Log.UnreadableField(logger, orderId, "create_time", data.CreateTime);
        }

        DateTimeOffset? payTime = GatewayTime.TryParse(data.PayTime, out DateTimeOffset paid) ? paid : null;
        if (payTime is null && !string.IsNullOrEmpty(data.PayTime))
        {
            Log.UnreadableField(logger, orderId, "pay_time", data.PayTime); // absent while unpaid: only a present, unreadable one is odd
        }

        return new PaymentIntent
        {
            OrderId = orderId,
            MerchantOrderId = data.MerchantOrderId ?? string.Empty,
            Amount = amount,
            Currency = data.Currency ?? string.Empty,
            Status = ParseStatus(data.Status),
            RawStatus = data.Status ?? string.Empty,
            CreateTime = createTime,
            PayTime = payTime,
            NextAction = ToNextAction(data.NextAction),
            RequestId = requestId,
            IsRecovered = recovered,
        };
    }

    internal static PaymentStatus ParseStatus(string? status) => status?.ToUpperInvariant() switch
    {
        "PENDING" => PaymentStatus.Pending,
        "SUCCEEDED" => PaymentStatus.Succeeded,
        "CANCELLED" or "CANCELED" => PaymentStatus.Cancelled,
        _ => PaymentStatus.Unknown,
    };

    private static PaymentNextAction? ToNextAction(NextActionData? action)
    {
        if (action is null)
        {
            return null;
        }

        string? url = action.Url ?? action.QrCodeUrl ?? action.RedirectUrl;
        return new PaymentNextAction
        {
            Type = action.Type ?? string.Empty,
            Url = Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? parsed : null,
        };
    }
}
