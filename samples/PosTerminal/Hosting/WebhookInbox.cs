using System.Collections.Concurrent;
using AlipayHk.Pay;

namespace PosTerminal.Hosting;

/// <summary>
/// Hands confirmed webhooks from the receiver to the terminal that waits for them, by gateway order id. Only a final
/// outcome (paid or cancelled, as the gateway confirmed it) is handed over.
/// </summary>
internal sealed class WebhookInbox
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ConfirmedWebhook>> _orders = new(StringComparer.Ordinal);

    /// <summary>Completes when a confirmed, final webhook for <paramref name="orderId"/> arrives (or has arrived).</summary>
    public Task<ConfirmedWebhook> WaitForAsync(string orderId) => Slot(orderId).Task;

    /// <summary>The handler given to <c>MapAlipayHkPayWebhook</c>: verified and confirmed by then.</summary>
    public Task HandleAsync(ConfirmedWebhook webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (webhook.Payment is { IsFinal: true } payment)
        {
            Slot(payment.OrderId).TrySetResult(webhook);
        }

        return Task.CompletedTask;
    }

    private TaskCompletionSource<ConfirmedWebhook> Slot(string orderId) =>
        _orders.GetOrAdd(orderId, static _ => new TaskCompletionSource<ConfirmedWebhook>(TaskCreationOptions.RunContinuationsAsynchronously));
}
