namespace AlipayHk.Pay.Http;

/// <summary>
/// The cancellation source that times one attempt out. On the system clock a source whose timer did not fire is reset
/// and kept for the next attempt on the same thread, so that a call does not allocate a source and a timer each time.
/// </summary>
internal static class AttemptTimer
{
    [ThreadStatic]
    private static CancellationTokenSource? t_spare;

    /// <summary>A source that cancels after <paramref name="timeout"/> on <paramref name="timeProvider"/>'s clock.</summary>
    internal static CancellationTokenSource Start(TimeSpan timeout, TimeProvider timeProvider)
    {
        if (timeProvider != TimeProvider.System)
        {
            return new CancellationTokenSource(timeout, timeProvider);
        }

        CancellationTokenSource source = t_spare ?? new CancellationTokenSource();
        t_spare = null;
        source.CancelAfter(timeout);
        return source;
    }

    /// <summary>Gives back a source from <see cref="Start"/> once its attempt has ended.</summary>
    internal static void Return(CancellationTokenSource source, TimeProvider timeProvider)
    {
        // Only system-clock sources are kept: one made on another clock (a test's fake one) keeps that clock's timer.
        if (timeProvider == TimeProvider.System && t_spare is null && source.TryReset())
        {
            t_spare = source;
        }
        else
        {
            source.Dispose();
        }
    }
}
