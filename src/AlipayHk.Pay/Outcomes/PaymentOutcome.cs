namespace AlipayHk.Pay;

/// <summary>A payment's final outcome, as the gateway confirmed it: what <see cref="IAlipayHkPayOutcomeHandler"/> records.</summary>
public sealed class PaymentOutcome
{
    /// <summary>Creates an outcome (for tests of a handler; the SDK creates them from confirmed payments).</summary>
    /// <param name="payment">The payment as the gateway confirmed it: <see cref="PaymentIntent.IsFinal"/>.</param>
    /// <param name="merchantName">The merchant's name, or <see langword="null"/> for the default merchant.</param>
    /// <param name="source">How the SDK learned the outcome.</param>
    /// <exception cref="ArgumentException"><paramref name="payment"/> is not final.</exception>
    public PaymentOutcome(PaymentIntent payment, string? merchantName, PaymentOutcomeSource source)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (!payment.IsFinal)
        {
            throw new ArgumentException($"An outcome is a final payment (succeeded or cancelled); this one is {payment.RawStatus}.", nameof(payment));
        }

        Payment = payment;
        MerchantName = merchantName;
        Source = source;
    }

    /// <summary>The payment as the gateway confirmed it: <see cref="PaymentStatus.Succeeded"/> or <see cref="PaymentStatus.Cancelled"/>.</summary>
    public PaymentIntent Payment { get; }

    /// <summary>The merchant the payment belongs to, or <see langword="null"/> for the default merchant.</summary>
    public string? MerchantName { get; }

    /// <summary>How the SDK learned the outcome.</summary>
    public PaymentOutcomeSource Source { get; }

    /// <summary>Whether the shopper paid: <see cref="PaymentStatus.Succeeded"/>.</summary>
    public bool Succeeded => Payment.Status == PaymentStatus.Succeeded;

    /// <inheritdoc />
    public override string ToString() =>
        $"PaymentOutcome {Payment.MerchantOrderId} (order {Payment.OrderId}{(MerchantName is null ? string.Empty : ", merchant " + MerchantName)}): {Payment.RawStatus}, learned by {Source}";
}

/// <summary>How the SDK learned a payment's final outcome.</summary>
public enum PaymentOutcomeSource
{
    /// <summary>A webhook callback, confirmed with the gateway.</summary>
    Webhook = 0,

    /// <summary><see cref="IAlipayHkPayClient.WaitForCompletionAsync"/> returned the final status.</summary>
    Wait = 1,

    /// <summary><see cref="IAlipayHkPayClient.GetPaymentAsync"/> returned the final status.</summary>
    Query = 2,

    /// <summary>The reconciler, which resolves the payments still open (a missed webhook, a crash, a restart).</summary>
    Reconciliation = 3,
}
