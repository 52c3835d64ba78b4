using System.Net;

namespace AlipayHk.Pay;

/// <summary>
/// A create was interrupted (timeout, reset connection, 5xx) and the SDK could not find out, by querying,
/// whether the gateway has the order. The order may exist.
/// </summary>
/// <remarks>
/// Do not create a new order for the same sale. Look the payment up later with
/// <c>GetPaymentAsync(PaymentReference.ByMerchantOrderId(MerchantOrderId))</c>, or retry the create with
/// the same <see cref="MerchantOrderId"/>: the SDK will find an existing order before it sends another.
/// </remarks>
public class AlipayHkPayOutcomeUnknownException : AlipayHkPayException
{
    /// <summary>Creates an exception for a create whose outcome is unknown.</summary>
    /// <param name="merchantOrderId">The merchant order id of the interrupted create.</param>
    /// <param name="requestId">The gateway's request id of the last response, when known.</param>
    /// <param name="statusCode">The HTTP status of the last response, when known.</param>
    /// <param name="innerException">The last failure seen.</param>
    public AlipayHkPayOutcomeUnknownException(string merchantOrderId, string? requestId, HttpStatusCode? statusCode, Exception? innerException)
        : base(
            $"The outcome of creating merchant order '{merchantOrderId}' is unknown: the create was interrupted and the gateway could not be asked whether it has the order. Do not create a new order for this sale; query it by merchant order id, or retry with the same merchant order id.",
            requestId,
            statusCode,
            innerException)
    {
        MerchantOrderId = merchantOrderId;
    }

    /// <summary>The merchant order id whose order may or may not exist at the gateway.</summary>
    public string MerchantOrderId { get; }
}
