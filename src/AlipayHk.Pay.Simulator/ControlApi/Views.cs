using System.Globalization;
using AlipayHk.Pay.Testing;
using AlipayHk.Pay.Testing.Gateway.Internal;
using AlipayHk.Pay.Testing.Payments.Internal;

namespace AlipayHk.Pay.Simulator.ControlApi;

// What the control API answers: snake_case JSON, statuses and times written as the gateway writes them.

/// <summary>
/// A merchant, credentials included: a client needs them to configure itself. Only a caller that could drive the
/// simulator gets them (the request guard: this machine's own Host, or the control token).
/// </summary>
internal sealed record MerchantView(string Name, string Uid, string ClientSecret, string WebhookKey, string SignatureHeader)
{
    public static MerchantView From(SimulatedMerchant merchant, string signatureHeader) =>
        new(merchant.Name!, merchant.Uid!, merchant.ClientSecret!, merchant.WebhookKey!, signatureHeader);
}

/// <summary>A payment, with every callback attempt made for it.</summary>
internal sealed record PaymentView(
    string OrderId,
    string MerchantOrderId,
    string Merchant,
    string Amount,
    string Currency,
    string Wallet,
    string Description,
    string Status,
    string CreateTime,
    string? PayTime,
    string QrCodeUrl,
    string? NotifyUrl,
    IReadOnlyList<CallbackView> Callbacks)
{
    public static PaymentView From(SimulatedPayment payment, IEnumerable<CallbackDelivery> deliveries) => new(
        payment.OrderId,
        payment.MerchantOrderId,
        payment.MerchantName,
        payment.Amount.ToString(CultureInfo.InvariantCulture),
        payment.Currency,
        payment.Wallet == AlipayHkWallet.AlipayCn ? "ALIPAYCN" : "ALIPAYHK",
        payment.Description,
        PaymentStore.Wire(payment.Status),
        GatewayTimeFormat.Format(payment.CreateTime),
        payment.PayTime is { } paid ? GatewayTimeFormat.Format(paid) : null,
        payment.QrCodeUrl.AbsoluteUri,
        payment.NotifyUrl?.AbsoluteUri,
        deliveries.Where(d => d.OrderId == payment.OrderId).Select(CallbackView.From).ToArray());
}

/// <summary>
/// One notification sent to a <c>notify_url</c>, and its outcome: when it was not accepted, <c>diagnosis</c> says why (a
/// redirect and its <c>location</c>, which the gateway does not follow; nothing listening; what a status means).
/// </summary>
internal sealed record CallbackView(
    string OrderId,
    string MerchantOrderId,
    int Attempt,
    string Url,
    string SentAt,
    int? StatusCode,
    string? Error,
    string? Location,
    string? Diagnosis,
    bool Accepted,
    string? NextAttemptAt,
    string Body,
    string Signature)
{
    public static CallbackView From(CallbackDelivery delivery) => new(
        delivery.OrderId,
        delivery.MerchantOrderId,
        delivery.Attempt,
        delivery.Url.AbsoluteUri,
        GatewayTimeFormat.Format(delivery.SentAt),
        delivery.StatusCode,
        delivery.Error,
        delivery.Location?.AbsoluteUri,
        delivery.Diagnosis,
        delivery.Accepted,
        delivery.NextAttemptAt is { } next ? GatewayTimeFormat.Format(next) : null,
        delivery.Body,
        delivery.Signature);
}

/// <summary>One request the gateway received: secrets and tokens already read <c>REDACTED</c>.</summary>
internal sealed record JournalView(
    string Timestamp,
    string Method,
    string Path,
    string Query,
    SimulatedEndpoint Endpoint,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int? StatusCode,
    string ResponseBody,
    SimulatedFault? Fault)
{
    public static JournalView From(JournalEntry entry) => new(
        GatewayTimeFormat.Format(entry.Timestamp),
        entry.Method,
        entry.Path,
        entry.Query,
        entry.Endpoint,
        entry.Headers,
        entry.Body,
        entry.StatusCode,
        entry.ResponseBody,
        entry.Fault);
}

/// <summary>A fault still to come: the next <see cref="Remaining"/> requests to <see cref="Endpoint"/> fail with <see cref="Fault"/>.</summary>
internal sealed record FaultView(SimulatedFault Fault, SimulatedEndpoint Endpoint, int Remaining);

/// <summary>An error: what went wrong, in a sentence.</summary>
internal sealed record ErrorView(string Error);
