using AlipayHk.Pay.Testing;

namespace AlipayHk.Pay.CrashTests.Support;

/// <summary>
/// The shoppers in front of the cashiers: each new payment at the gateway meets one, drawn when it appears. Most pay
/// (70 %), some give up and the payment is cancelled (15 %), both 50 ms to 1.5 s after the create; the rest walk away and
/// the gateway cancels the payment at <see cref="AlipayHkGatewaySimulatorOptions.PaymentTimeout"/>. Only paid payments
/// get callbacks: a cancelled one is learned by a wait or by the reconciler.
/// </summary>
internal sealed class Shoppers : IAsyncDisposable
{
    private readonly AlipayHkGatewaySimulator _simulator;
    private readonly Chance _chance;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<Task> _acts = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;
    private int _paying;
    private int _cancelling;
    private int _walkingAway;

    internal Shoppers(AlipayHkGatewaySimulator simulator, Chance chance)
    {
        _simulator = simulator;
        _chance = chance;
        _watch = WatchAsync(_stop.Token);
    }

    internal int Paying => Volatile.Read(ref _paying);

    internal int Cancelling => Volatile.Read(ref _cancelling);

    internal int WalkingAway => Volatile.Read(ref _walkingAway);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        Task[] acts;
        lock (_acts)
        {
            acts = [.. _acts];
        }

        await Task.WhenAll(acts);
        _stop.Dispose();
    }

    /// <summary>Looks at the gateway's payments every 25 ms, and sends a shopper to each new one.</summary>
    private async Task WatchAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        try
        {
            do
            {
                foreach (SimulatedPayment payment in _simulator.Payments)
                {
                    if (_seen.Add(payment.OrderId))
                    {
                        Meet(payment.OrderId);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private void Meet(string orderId)
    {
        double p = _chance.Next();
        TimeSpan after = _chance.Millis(50, 1500);
        Task act;
        if (p < 0.70)
        {
            Interlocked.Increment(ref _paying);
            act = ActAsync(after, () => _simulator.CompletePaymentAsync(orderId));
        }
        else if (p < 0.85)
        {
            Interlocked.Increment(ref _cancelling);
            act = ActAsync(after, () => Task.FromResult(_simulator.CancelPayment(orderId)));
        }
        else
        {
            Interlocked.Increment(ref _walkingAway);
            return;
        }

        lock (_acts)
        {
            _acts.Add(act);
        }
    }

    private static async Task ActAsync(TimeSpan after, Func<Task> act)
    {
        await Task.Delay(after); // the shopper's own time to scan and pay, or to give up: simulated, not a wait for something

        try
        {
            await act();
        }
        catch (InvalidOperationException)
        {
            // No longer pending (the gateway timed it out first), or the run is over (ObjectDisposedException).
        }
    }
}
