namespace AlipayHk.Pay.Testing.Hosting.Internal;

/// <summary>
/// A version number that goes up on every change the simulator makes (payments, callbacks, journal, faults, tokens),
/// for a watcher such as a dashboard's live feed. Never blocks the one who changes something.
/// </summary>
internal sealed class ChangeFeed
{
    private TaskCompletionSource<long> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>The number of changes so far.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Counts a change and wakes every watcher.</summary>
    public void Notify()
    {
        long version = Interlocked.Increment(ref _version);
        TaskCompletionSource<long> next = Interlocked.Exchange(ref _next, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        next.TrySetResult(version);
    }

    /// <summary>Waits until <see cref="Version"/> is above <paramref name="seen"/>; returns the new version.</summary>
    public async Task<long> WaitAsync(long seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<long> next = Volatile.Read(ref _next).Task;
            long version = Version;
            if (version > seen)
            {
                return version;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
