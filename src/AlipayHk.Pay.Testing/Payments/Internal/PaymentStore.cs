using System.Globalization;
using AlipayHk.Pay.Testing.Hosting.Internal;
using AlipayHk.Pay.Testing.Logging.Internal;
using AlipayHk.Pay.Testing.Merchants.Internal;
using Microsoft.Extensions.Logging;

namespace AlipayHk.Pay.Testing.Payments.Internal;

/// <summary>
/// Every payment, by order id and by (merchant, merchant order id), under one lock. The only transitions are
/// PENDING to SUCCEEDED and PENDING to CANCELLED.
/// </summary>
internal sealed class PaymentStore(TimeProvider timeProvider, ILogger logger, ChangeFeed changes)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, PaymentRecord> _byOrderId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Uid, string MerchantOrderId), PaymentRecord> _byMerchantOrderId = [];
    private readonly List<PaymentRecord> _inOrder = [];
    private long _sequence;
    private int _generation;
    private ChangeSignal? _changes;

    // Created on first use (a field initializer cannot see _gate); CompareExchange publishes exactly one.
    private ChangeSignal Changes => LazyInitializer.EnsureInitialized(ref _changes, () => new ChangeSignal(_gate));

    /// <summary>The new order, or <see langword="null"/> when the merchant already has that merchant order id.</summary>
    public PaymentRecord? TryCreate(
        MerchantAccount merchant,
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
            if (_byMerchantOrderId.ContainsKey((merchant.Uid, merchantOrderId)))
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
                Merchant = merchant,
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
            _byMerchantOrderId.Add((merchant.Uid, merchantOrderId), record);
            _inOrder.Add(record);
            Signal(record);
            return record;
        }
    }

    /// <summary>
    /// A query of <paramref name="merchant"/>: by order id when one is given, else by merchant order id. Another
    /// merchant's payment is not found. Returns a copy of its state.
    /// </summary>
    public bool TryFind(MerchantAccount merchant, string? orderId, string? merchantOrderId, out PaymentRecord? record, out SimulatedPayment? snapshot)
    {
        lock (_gate)
        {
            record = null;
            if (!string.IsNullOrEmpty(orderId))
            {
                if (_byOrderId.TryGetValue(orderId, out PaymentRecord? found) && found.Merchant.Uid == merchant.Uid)
                {
                    record = found;
                }
            }
            else if (!string.IsNullOrEmpty(merchantOrderId))
            {
                _byMerchantOrderId.TryGetValue((merchant.Uid, merchantOrderId), out record);
            }

            snapshot = record?.Snapshot();
            return record is not null;
        }
    }

    /// <summary>Finds an order by either of its ids, for any merchant.</summary>
    /// <exception cref="InvalidOperationException">Several merchants have that merchant order id.</exception>
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

    /// <summary>
    /// Moves a pending payment to <paramref name="target"/>. When it is missing or no longer pending, throws, or, with
    /// <paramref name="ifPending"/> (a background timer that came too late), returns <see langword="null"/>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no such payment.</exception>
    /// <exception cref="InvalidOperationException">The payment is not <c>PENDING</c>.</exception>
    public (PaymentRecord Record, SimulatedPayment Snapshot)? Transition(string orderIdOrMerchantOrderId, PaymentStatus target, bool ifPending)
    {
        lock (_gate)
        {
            PaymentRecord? record = Lookup(orderIdOrMerchantOrderId);
            if (ifPending && record?.Status != PaymentStatus.Pending)
            {
                return null;
            }

            if (record is null)
            {
                throw new KeyNotFoundException($"The simulator has no payment with order id or merchant order id '{orderIdOrMerchantOrderId}'.");
            }

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

    /// <summary>The payment and its record, by either id; throws when there is none.</summary>
    public (PaymentRecord Record, SimulatedPayment Snapshot) Get(string orderIdOrMerchantOrderId)
    {
        lock (_gate)
        {
            PaymentRecord record = Lookup(orderIdOrMerchantOrderId)
                ?? throw new KeyNotFoundException($"The simulator has no payment with order id or merchant order id '{orderIdOrMerchantOrderId}'.");
            return (record, record.Snapshot());
        }
    }

    /// <summary>Waits until the payment exists and has <paramref name="status"/>.</summary>
    /// <exception cref="InvalidOperationException">The simulator was reset meanwhile.</exception>
    public Task<SimulatedPayment> WaitAsync(string orderIdOrMerchantOrderId, PaymentStatus status, CancellationToken cancellationToken)
    {
        int generation = Volatile.Read(ref _generation);
        return Changes.WaitAsync(
            () => _generation != generation
                ? throw new InvalidOperationException("The simulator was reset while this wait was on.")
                : Lookup(orderIdOrMerchantOrderId) is { } record && record.Status == status ? record.Snapshot() : null,
            cancellationToken);
    }

    /// <summary>Forgets every payment. Order ids keep counting up, so that none is ever handed out twice.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _byOrderId.Clear();
            _byMerchantOrderId.Clear();
            _inOrder.Clear();
            _generation++;
            Changes.Notify();
        }

        changes.Notify();
    }

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
        changes.Notify();
    }

    /// <summary>By order id, else by merchant order id, whichever merchant it belongs to.</summary>
    private PaymentRecord? Lookup(string id)
    {
        if (_byOrderId.TryGetValue(id, out PaymentRecord? byOrder))
        {
            return byOrder;
        }

        PaymentRecord? found = null;
        foreach (PaymentRecord record in _inOrder)
        {
            if (string.Equals(record.MerchantOrderId, id, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    throw new InvalidOperationException(
                        $"Merchant order id '{id}' is used by merchants '{found.Merchant.Name}' and '{record.Merchant.Name}': name the payment by its order id ({found.OrderId}, {record.OrderId}).");
                }

                found = record;
            }
        }

        return found;
    }
}
