using System.Globalization;
using AlipayHk.Pay.Testing.Hosting;
using AlipayHk.Pay.Testing.Logging;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.State;

/// <summary>
/// Every payment, by order id and by merchant order id, under one lock. The only transitions are
/// PENDING to SUCCEEDED and PENDING to CANCELLED.
/// </summary>
internal sealed class PaymentStore(TimeProvider timeProvider, ILogger logger)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, PaymentRecord> _byOrderId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaymentRecord> _byMerchantOrderId = new(StringComparer.Ordinal);
    private readonly List<PaymentRecord> _inOrder = [];
    private long _sequence;
    private ChangeSignal? _changes;

    // Created on first use (a field initializer cannot see _gate); CompareExchange publishes exactly one.
    private ChangeSignal Changes => LazyInitializer.EnsureInitialized(ref _changes, () => new ChangeSignal(_gate));

    /// <summary>The new order, or <see langword="null"/> when the merchant order id is taken.</summary>
    public PaymentRecord? TryCreate(
        string merchantOrderId,
        string amountText,
        decimal amount,
        AlipayHkWallet wallet,
        string description,
        Uri? notifyUrl,
        Func<string, Uri> qrCodeUrl)
    {
        lock (_gate)
        {
            if (_byMerchantOrderId.ContainsKey(merchantOrderId))
            {
                return null;
            }

            DateTimeOffset now = timeProvider.GetUtcNow();
            string orderId = string.Create(
                CultureInfo.InvariantCulture,
                $"C{now.ToUnixTimeMilliseconds():D13}{++_sequence:D8}");
            var record = new PaymentRecord
            {
                OrderId = orderId,
                MerchantOrderId = merchantOrderId,
                AmountText = amountText,
                Amount = amount,
                Wallet = wallet,
                Description = description,
                NotifyUrl = notifyUrl,
                CreateTime = now,
                QrCodeUrl = qrCodeUrl(orderId),
            };
            _byOrderId.Add(orderId, record);
            _byMerchantOrderId.Add(merchantOrderId, record);
            _inOrder.Add(record);
            Signal(record);
            return record;
        }
    }

    /// <summary>Finds an order by order id first, then by merchant order id; returns a copy of its state.</summary>
    public bool TryFind(string? orderId, string? merchantOrderId, out PaymentRecord? record, out SimulatedPayment? snapshot)
    {
        lock (_gate)
        {
            record = null;
            if (!string.IsNullOrEmpty(orderId))
            {
                _byOrderId.TryGetValue(orderId, out record);
            }
            else if (!string.IsNullOrEmpty(merchantOrderId))
            {
                _byMerchantOrderId.TryGetValue(merchantOrderId, out record);
            }

            snapshot = record?.Snapshot();
            return record is not null;
        }
    }

    /// <summary>Finds an order by either of its ids.</summary>
    public SimulatedPayment? Find(string orderIdOrMerchantOrderId)
    {
        lock (_gate)
        {
            return Lookup(orderIdOrMerchantOrderId)?.Snapshot();
        }
    }

    public IReadOnlyList<SimulatedPayment> Snapshot()
    {
        lock (_gate)
        {
            return _inOrder.Select(p => p.Snapshot()).ToArray();
        }
    }

    /// <summary>Moves a pending payment to <paramref name="target"/>; throws when it is not pending.</summary>
    public (PaymentRecord Record, SimulatedPayment Snapshot) Transition(string orderIdOrMerchantOrderId, PaymentStatus target)
    {
        lock (_gate)
        {
            PaymentRecord record = Lookup(orderIdOrMerchantOrderId)
                ?? throw new KeyNotFoundException($"The simulator has no payment with order id or merchant order id '{orderIdOrMerchantOrderId}'.");
            if (record.Status != PaymentStatus.Pending)
            {
                string verb = target == PaymentStatus.Succeeded ? "complete" : "cancel";
                throw new InvalidOperationException(
                    $"Cannot {verb} payment {record.OrderId} (merchant order {record.MerchantOrderId}): it is already {Wire(record.Status)}. Only a PENDING payment can become SUCCEEDED or CANCELLED.");
            }

            record.Status = target;
            if (target == PaymentStatus.Succeeded)
            {
                record.PayTime = timeProvider.GetUtcNow();
            }

            Signal(record);
            return (record, record.Snapshot());
        }
    }

    /// <summary>Like <see cref="Transition"/>, for background timers: <see langword="false"/> instead of a throw when the payment is no longer pending.</summary>
    public bool TryTransition(string orderId, PaymentStatus target, out PaymentRecord? record)
    {
        lock (_gate)
        {
            record = Lookup(orderId);
            if (record is null || record.Status != PaymentStatus.Pending)
            {
                return false;
            }

            record.Status = target;
            if (target == PaymentStatus.Succeeded)
            {
                record.PayTime = timeProvider.GetUtcNow();
            }

            Signal(record);
            return true;
        }
    }

    /// <summary>Waits until the payment exists and has <paramref name="status"/>.</summary>
    public Task<SimulatedPayment> WaitAsync(string orderIdOrMerchantOrderId, PaymentStatus status, CancellationToken cancellationToken) =>
        Changes.WaitAsync(
            () => Lookup(orderIdOrMerchantOrderId) is { } record && record.Status == status ? record.Snapshot() : null,
            cancellationToken);

    /// <summary>Wakes every waiter for good: the simulator is stopping.</summary>
    public void Stop() => Changes.Stop();

    /// <summary>The status as the gateway writes it.</summary>
    public static string Wire(PaymentStatus status) => status switch
    {
        PaymentStatus.Succeeded => "SUCCEEDED",
        PaymentStatus.Cancelled => "CANCELLED",
        _ => "PENDING",
    };

    /// <summary>Wakes the waiters; called under the lock after every change.</summary>
    private void Signal(PaymentRecord record)
    {
        SimulatorLog.PaymentChanged(logger, record.OrderId, record.MerchantOrderId, Wire(record.Status));
        Changes.Notify();
    }

    private PaymentRecord? Lookup(string id) =>
        _byOrderId.TryGetValue(id, out PaymentRecord? byOrder) ? byOrder
        : _byMerchantOrderId.TryGetValue(id, out PaymentRecord? byMerchant) ? byMerchant
        : null;
}
