using System.Collections.Concurrent;

namespace AlipayHk.Pay;

/// <summary>
/// The default <see cref="IAlipayHkPayCompletionSignals"/>: announcements reach the waits of this process only. Other
/// implementations (such as the Redis one) use it for the waits of their own process.
/// </summary>
public sealed class InProcessCompletionSignals : IAlipayHkPayCompletionSignals
{
    private readonly ConcurrentDictionary<string, Listeners> _listeners = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask PublishAsync(string? merchantName, PaymentIntent payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);

        // The waits listen by order id or by merchant order id: both are called.
        if (payment.OrderId.Length > 0 && _listeners.TryGetValue(Key(merchantName, 'o', payment.OrderId), out Listeners? byOrder))
        {
            byOrder.Call(payment);
        }

        if (payment.MerchantOrderId.Length > 0 && _listeners.TryGetValue(Key(merchantName, 'm', payment.MerchantOrderId), out Listeners? byMerchantOrder))
        {
            byMerchantOrder.Call(payment);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(string? merchantName, PaymentReference reference, Action<PaymentIntent> completed)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(completed);
        string key = reference.OrderId is { } orderId ? Key(merchantName, 'o', orderId) : Key(merchantName, 'm', reference.MerchantOrderId!);
        var subscription = new Subscription(this, key, completed);
        while (true)
        {
            Listeners listeners = _listeners.GetOrAdd(key, static _ => new Listeners());
            if (listeners.TryAdd(subscription))
            {
                return subscription;
            }

            // Emptied and being removed by another thread: take a fresh one.
        }
    }

    private void Remove(string key, Subscription subscription)
    {
        if (_listeners.TryGetValue(key, out Listeners? listeners) && listeners.Remove(subscription))
        {
            _listeners.TryRemove(new KeyValuePair<string, Listeners>(key, listeners));
        }
    }

    private static string Key(string? merchantName, char kind, string id) => $"{merchantName}\n{kind}\n{id}";

    /// <summary>The callbacks of one payment; once emptied it is closed, so that it can leave the dictionary safely.</summary>
    private sealed class Listeners
    {
        private readonly List<Subscription> _items = [];
        private bool _closed;

        internal bool TryAdd(Subscription subscription)
        {
            lock (_items)
            {
                if (_closed)
                {
                    return false;
                }

                _items.Add(subscription);
                return true;
            }
        }

        /// <summary>Removes a subscription; <see langword="true"/> when that emptied and closed the list.</summary>
        internal bool Remove(Subscription subscription)
        {
            lock (_items)
            {
                _items.Remove(subscription);
                _closed = _items.Count == 0;
                return _closed;
            }
        }

        internal void Call(PaymentIntent payment)
        {
            Subscription[] items;
            lock (_items)
            {
                items = [.. _items];
            }

            foreach (Subscription item in items)
            {
                item.Completed(payment);
            }
        }
    }

    private sealed class Subscription(InProcessCompletionSignals owner, string key, Action<PaymentIntent> completed) : IDisposable
    {
        private int _disposed;

        internal Action<PaymentIntent> Completed { get; } = completed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(key, this);
            }
        }
    }
}
