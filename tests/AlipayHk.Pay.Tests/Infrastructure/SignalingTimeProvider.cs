using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test when code starts waiting on it, and for how long:
/// tests advance time exactly when a backoff or timeout starts, with no sleeps and no races.
/// </summary>
public sealed class SignalingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero))
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();
    private readonly SemaphoreSlim _created = new(0);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Enqueue(dueTime);
            _created.Release();
        }

        return timer;
    }

    /// <summary>Waits (in real time, at most 10 s) until a timer with <paramref name="dueTime"/> is created.</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime) => WaitForTimerAsync(due => due == dueTime);

    /// <summary>Waits (in real time, at most 10 s) until a timer whose due time matches is created; returns that due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            await _created.WaitAsync(cts.Token);
            while (_timers.TryDequeue(out TimeSpan due))
            {
                if (match(due))
                {
                    return due;
                }
            }
        }
    }
}
