using AlipayHk.Pay.Testing.Callbacks.Internal;
using AlipayHk.Pay.Testing.Hosting.Internal;

namespace AlipayHk.Pay.Testing.Payments.Internal;

/// <summary>
/// What happens to a payment after its create: the shopper pays (and the callbacks start), gives up, or the timers of
/// <see cref="AlipayHkGatewaySimulatorOptions.AutoPayAfter"/> and <see cref="AlipayHkGatewaySimulatorOptions.PaymentTimeout"/>
/// do it for them. The one place a payment is paid: by a test, the control API, the pay page or the timer alike.
/// </summary>
internal sealed class PaymentLifecycle(SimulatorState state, CallbackDispatcher callbacks, AlipayHkGatewaySimulatorOptions options)
{
    /// <summary>The shopper pays: PENDING to SUCCEEDED, then the callbacks start when the create named a <c>notify_url</c>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c>.</exception>
    public SimulatedPayment Pay(string orderIdOrMerchantOrderId) => Pay(orderIdOrMerchantOrderId, ifPending: false)!;

    /// <summary>Closes a pending payment (CANCELLED): no callback.</summary>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c>.</exception>
    public SimulatedPayment Cancel(string orderIdOrMerchantOrderId) =>
        state.Payments.Transition(orderIdOrMerchantOrderId, PaymentStatus.Cancelled, ifPending: false)!.Value.Snapshot;

    /// <summary>Arms the timers of a new payment: the automatic payment and the timeout, as the options say at this create.</summary>
    public void OnCreated(PaymentRecord record)
    {
        string orderId = record.OrderId;
        if (options.AutoPayAfter is { } payAfter)
        {
            state.Background.After(payAfter, state.TimeProvider, () => Pay(orderId, ifPending: true));
        }

        if (options.PaymentTimeout is { } timeout)
        {
            state.Background.After(timeout, state.TimeProvider, () => state.Payments.Transition(orderId, PaymentStatus.Cancelled, ifPending: true));
        }
    }

    /// <summary><paramref name="ifPending"/>: for a timer, which finds the payment paid or cancelled meanwhile and does nothing.</summary>
    private SimulatedPayment? Pay(string id, bool ifPending)
    {
        if (state.Payments.Transition(id, PaymentStatus.Succeeded, ifPending) is not var (record, paid))
        {
            return null;
        }

        if (record.NotifyUrl is { } notifyUrl)
        {
            callbacks.Start(record.OrderId, record.MerchantOrderId, notifyUrl, record.Merchant.WebhookKey);
        }

        return paid;
    }
}
