using AlipayHk.Pay.Http;
using Microsoft.Extensions.Time.Testing;

namespace AlipayHk.Pay.Tests.Http;

/// <summary>
/// The attempt timer reuses its cancellation source on the system clock. A reused source must behave as a new one:
/// never handed out cancelled, never carrying another clock's timer.
/// </summary>
public sealed class AttemptTimerTests
{
    [Fact]
    public async Task A_source_whose_attempt_ended_in_time_is_reused_on_the_same_thread_and_starts_uncancelled()
    {
        // A dedicated thread: the spare is kept per thread.
        (bool same, bool cancelled) = await OnNewThread(() =>
        {
            CancellationTokenSource first = AttemptTimer.Start(TimeSpan.FromMinutes(10), TimeProvider.System);
            AttemptTimer.Return(first, TimeProvider.System);
            CancellationTokenSource second = AttemptTimer.Start(TimeSpan.FromMinutes(10), TimeProvider.System);
            AttemptTimer.Return(second, TimeProvider.System);
            return (ReferenceEquals(first, second), second.IsCancellationRequested);
        });

        Assert.True(same);
        Assert.False(cancelled);
    }

    [Fact]
    public async Task A_cancelled_source_is_never_reused()
    {
        bool same = await OnNewThread(() =>
        {
            CancellationTokenSource first = AttemptTimer.Start(TimeSpan.FromMinutes(10), TimeProvider.System);
            first.Cancel(); // as when its timeout elapsed, or the caller cancelled
            AttemptTimer.Return(first, TimeProvider.System);
            CancellationTokenSource second = AttemptTimer.Start(TimeSpan.FromMinutes(10), TimeProvider.System);
            bool reused = ReferenceEquals(first, second) || second.IsCancellationRequested;
            AttemptTimer.Return(second, TimeProvider.System);
            return reused;
        });

        Assert.False(same);
    }

    [Fact]
    public async Task A_source_on_another_clock_is_never_handed_to_a_system_clock_attempt()
    {
        var fake = new FakeTimeProvider();
        (bool same, bool firesOnFakeClock) = await OnNewThread(() =>
        {
            CancellationTokenSource onFake = AttemptTimer.Start(TimeSpan.FromSeconds(4), fake);
            AttemptTimer.Return(onFake, fake);
            CancellationTokenSource onSystem = AttemptTimer.Start(TimeSpan.FromMinutes(10), TimeProvider.System);
            fake.Advance(TimeSpan.FromSeconds(5));
            bool fired = onSystem.IsCancellationRequested;
            AttemptTimer.Return(onSystem, TimeProvider.System);
            return (ReferenceEquals(onFake, onSystem), fired);
        });

        Assert.False(same);
        Assert.False(firesOnFakeClock);
    }

    [Fact]
    public void A_source_on_a_fake_clock_times_out_on_that_clock()
    {
        var fake = new FakeTimeProvider();
        CancellationTokenSource source = AttemptTimer.Start(TimeSpan.FromSeconds(4), fake);

        fake.Advance(TimeSpan.FromSeconds(3.9));
        Assert.False(source.IsCancellationRequested);
        fake.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(source.IsCancellationRequested);
        AttemptTimer.Return(source, fake);
    }

    private static Task<T> OnNewThread<T>(Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(work());
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        });
        thread.Start();
        return result.Task;
    }
}
